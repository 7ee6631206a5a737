package dev.languageranker.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The dashboard's HTTP endpoint (the JDK's server: a handful of routes need no framework): the page and its
 * scripts, uPlot from its WebJar on the class path, {@code /api/state} as JSON, {@code /metrics} in the Prometheus
 * text format and {@code /health}. Nothing is fetched from the internet.
 */
public final class DashboardServer implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DashboardServer.class);
  static final String UPLOT_VERSION = "1.6.30";
  private static final String WEB = "/dev/languageranker/dashboard/web/";
  private static final String WEBJAR = "/META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "application/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

  private final HttpServer server;

  public DashboardServer(String host, int port, Supplier<String> state, Supplier<String> metrics,
      Supplier<Boolean> healthy) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "dashboard-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/") || path.equals("/index.html")) {
        resource(exchange, WEB + "index.html");
      } else if (path.startsWith("/static/")) {
        resource(exchange, WEB + path.substring("/static/".length()));
      } else if (path.startsWith("/webjars/uplot/")) {
        resource(exchange, WEBJAR + path.substring("/webjars/uplot/".length()));
      } else {
        respond(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.createContext("/api/state", exchange -> generated(exchange, "application/json", state));
    server.createContext("/metrics", exchange -> generated(exchange, "text/plain; version=0.0.4; charset=utf-8",
        metrics));
    server.createContext("/health", exchange -> {
      boolean up = healthy.get();
      respond(exchange, up ? 200 : 503, "application/json",
          ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8));
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** A generated body; a failure is a 500 with its reason (and logged), never a dropped connection. */
  private static void generated(HttpExchange exchange, String type, Supplier<String> body) throws IOException {
    byte[] bytes;
    try {
      bytes = body.get().getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      log.error("dashboard failed to render {}", exchange.getRequestURI(), e);
      respond(exchange, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
      return;
    }
    respond(exchange, 200, type, bytes);
  }

  private static void resource(HttpExchange exchange, String name) throws IOException {
    if (name.contains("..")) {
      respond(exchange, 404, "text/plain", new byte[0]);
      return;
    }
    try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
      if (in == null) {
        respond(exchange, 404, "text/plain", ("not found: " + name).getBytes(StandardCharsets.UTF_8));
        return;
      }
      String extension = name.substring(name.lastIndexOf('.') + 1);
      respond(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes());
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
