package dev.languageranker.platform.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint of a process: {@code /metrics} in the Prometheus text format and {@code /health} as JSON
 * (200 when every check is up, 503 otherwise). Uses the JDK's HTTP server: two routes need no framework.
 */
public final class MetricsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();

  public MetricsServer(String host, int port, ServiceMetrics metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
        metrics.scrape()));
    server.createContext("/health", this::health);
    server.start();
  }

  /** Adds a named check to {@code /health}. */
  public void addCheck(String name, HealthCheck check) {
    checks.put(name, check);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange exchange) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode details = body.putObject("checks");
    boolean up = true;
    for (Map.Entry<String, HealthCheck> entry : new java.util.TreeMap<>(checks).entrySet()) {
      HealthCheck.Status status;
      try {
        status = entry.getValue().check();
      } catch (RuntimeException e) {
        status = HealthCheck.Status.down("check failed: " + e.getMessage());
      }
      up &= status.up();
      details.putObject(entry.getKey()).put("status", status.up() ? "UP" : "DOWN").put("detail", status.detail());
    }
    body.put("status", up ? "UP" : "DOWN");
    respond(exchange, up ? 200 : 503, "application/json", body.toString());
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
