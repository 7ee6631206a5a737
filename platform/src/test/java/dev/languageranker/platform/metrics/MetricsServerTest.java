package dev.languageranker.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetersInPrometheusFormatWithTheServiceTag() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("test-service");
        MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics)) {
      metrics.registry().counter("lr.test.events", "kind", "a").increment(3);

      HttpResponse<String> response = get(server, "/metrics");

      assertEquals(200, response.statusCode());
      assertTrue(response.body().contains("lr_test_events_total{kind=\"a\",service=\"test-service\"} 3.0"),
          response.body().lines().filter(l -> l.contains("lr_test")).toList().toString());
      assertTrue(response.body().contains("jvm_memory_used_bytes"));
    }
  }

  @Test
  void bindsAKafkaClientsOwnMetrics() {
    java.util.Map<String, Object> props = java.util.Map.of("bootstrap.servers", "127.0.0.1:1",
        "key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class,
        "value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class);
    try (ServiceMetrics metrics = new ServiceMetrics("test-service");
        org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
            props)) {
      metrics.bind(producer);

      assertTrue(metrics.scrape().contains("kafka_producer_"), "producer metrics are exported");
    }
  }

  @Test
  void healthIsUpWhenEveryCheckIsUpAnd503Otherwise() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("test-service");
        MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics)) {
      server.addCheck("kafka", () -> HealthCheck.Status.up("connected"));
      assertEquals(200, get(server, "/health").statusCode());

      server.addCheck("model", () -> HealthCheck.Status.down("no ranker loaded"));
      HttpResponse<String> down = get(server, "/health");

      assertEquals(503, down.statusCode());
      assertTrue(down.body().contains("\"status\":\"DOWN\""), down.body());
      assertTrue(down.body().contains("no ranker loaded"), down.body());
    }
  }

  private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
