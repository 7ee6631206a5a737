package dev.languageranker.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every instance reads a compacted topic whole, tombstones included, knows when it caught up, and keeps following. */
@ExtendWith(KafkaBrokerExtension.class)
class CompactedTopicFollowerIT {

  @Test
  void readsWhatExistedTellsWhenCaughtUpAndFollowsWhatComesLater(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config();
    KafkaClientProperties clients = new KafkaClientProperties(config);
    String topic = "follow-" + UUID.randomUUID();
    try (Admin admin = Admin.create(clients.admin())) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all()
          .get();
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("test"))) {
      send(producer, topic, "a", "a1");
      send(producer, topic, "b", "b1");
      send(producer, topic, "a", null); // tombstone
    }
    Map<String, String> state = new ConcurrentHashMap<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger caughtUpCalls = new AtomicInteger();
    Map<String, Integer> seenWhenCaughtUp = new ConcurrentHashMap<>();
    CompactedTopicFollower[] twoInstances = new CompactedTopicFollower[2];
    for (int i = 0; i < 2; i++) {
      int instance = i;
      twoInstances[i] = new CompactedTopicFollower(clients, topic, "follower-" + i, record -> {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        if (instance == 0) {
          seen.add(key + "=" + value);
          if (value == null) {
            state.remove(key);
          } else {
            state.put(key, value);
          }
        }
      }, () -> {
        caughtUpCalls.incrementAndGet();
        if (instance == 0) {
          seenWhenCaughtUp.put("records", seen.size());
        }
      }, "test");
    }
    try {
      for (CompactedTopicFollower f : twoInstances) {
        f.start();
      }
      for (CompactedTopicFollower f : twoInstances) {
        assertTrue(f.awaitCaughtUp(Duration.ofSeconds(30)), "caught up");
      }
      assertEquals(2, caughtUpCalls.get(), "each instance reads the topic itself (no group shares it out)");
      assertEquals(3, seenWhenCaughtUp.get("records"), "everything that existed, before saying so: " + seen);
      assertEquals(Map.of("b", "b1"), state, "the tombstone retired a");

      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("test"))) {
        send(producer, topic, "b", "b2");
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"b2".equals(state.get("b")) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(Map.of("b", "b2"), state, "later records are followed");
      assertEquals(2, caughtUpCalls.get(), "caught up once");
    } finally {
      for (CompactedTopicFollower f : twoInstances) {
        f.close();
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
  }
}
