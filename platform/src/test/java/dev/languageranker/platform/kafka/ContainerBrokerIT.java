package dev.languageranker.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.languageranker.platform.config.LrConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The topic catalogue on a containerized Apache Kafka broker; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerIT {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");

  @Test
  void bootstrapsTheCatalogueOnAContainerBroker() {
    LrConfig config = LrConfig.builder().overrides(Map.of("bootstrap.servers", KAFKA.getBootstrapServers())).build();
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      TopicBootstrapper bootstrapper = new TopicBootstrapper(admin, config, Duration.ofSeconds(60));

      bootstrapper.ensure(Topics.ALL);

      assertEquals(List.of(), bootstrapper.ensure(Topics.ALL).mismatches());
    }
  }
}
