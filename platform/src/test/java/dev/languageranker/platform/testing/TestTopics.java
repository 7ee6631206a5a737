package dev.languageranker.platform.testing;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.TopicBootstrapper;
import dev.languageranker.platform.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Test helpers against a real broker: the catalogue's topics, and reading a topic from the start. */
public final class TestTopics {
  private TestTopics() {}

  /** Creates the catalogue's topics (idempotent). */
  public static void ensureCatalogue(LrConfig config) {
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      new TopicBootstrapper(admin, config, Duration.ofSeconds(30)).ensure(Topics.ALL);
    }
  }

  /** Reads committed records of {@code topic} from the beginning until {@code count} arrived or time runs out. */
  public static List<ConsumerRecord<byte[], byte[]>> readFromStart(LrConfig config, String topic, int count,
      Duration timeout) {
    return readFromStart(config, topic, r -> true, count, timeout);
  }

  /**
   * Reads committed records of {@code topic} from the beginning, keeping those {@code filter} accepts, until
   * {@code count} were kept or time runs out.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readFromStart(LrConfig config, String topic,
      java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> filter, int count, Duration timeout) {
    Map<String, Object> props = new KafkaClientProperties(config).consumer("test-reader-" + System.nanoTime(),
        "test-reader");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
          if (filter.test(r)) {
            records.add(r);
          }
        });
      }
    }
    return records;
  }
}
