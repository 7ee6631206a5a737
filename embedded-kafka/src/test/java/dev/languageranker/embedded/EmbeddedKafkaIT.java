package dev.languageranker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {
  @TempDir Path dataDir;

  @Test
  void startsARealBrokerWithinTenSecondsAndKeepsItsDataAcrossRestarts() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(dataDir, 0)) {
      assertTrue(broker.startupMillis() < 10_000, "startup took " + broker.startupMillis() + " ms");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
    }

    try (EmbeddedKafka restarted = EmbeddedKafka.start(dataDir, 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", restarted.bootstrapServers()))) {
      Set<String> names = admin.listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(names.contains("kept"), names.toString());
    }
  }

  @Test
  void aTemporaryBrokerDeletesItsDataOnClose() {
    Path dir;
    try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
      dir = broker.dataDir();
      assertTrue(dir.toFile().exists());
    }
    assertEquals(false, dir.toFile().exists());
  }
}
