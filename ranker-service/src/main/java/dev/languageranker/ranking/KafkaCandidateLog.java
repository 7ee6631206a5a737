package dev.languageranker.ranking;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * {@link CandidateLog} over a plain consumer with no group: it seeks to the wanted offsets and reads forward,
 * skipping ahead over long gaps. The consumer is opened on first use, so a task that never restarts never opens it.
 */
public final class KafkaCandidateLog implements CandidateLog {
  /** A gap wider than this many records between two wanted offsets is skipped by seeking instead of read through. */
  private static final long SEEK_GAP = 256;

  private final String topic;
  private final Map<String, Object> consumerProperties;
  private final Duration timeout;
  private KafkaConsumer<byte[], byte[]> consumer;

  /** Reads {@code topic} with these consumer properties (byte-array deserializers; any group id is ignored). */
  public KafkaCandidateLog(String topic, Map<String, Object> consumerProperties, Duration timeout) {
    this.topic = topic;
    this.consumerProperties = new HashMap<>(consumerProperties);
    this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // An offset below the log start (deleted by retention) resets to the start, which passes it: reported as absent.
    this.consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.timeout = timeout;
  }

  @Override
  public Map<Long, byte[]> read(int partition, long[] offsets) {
    Map<Long, byte[]> found = new HashMap<>();
    TreeSet<Long> missing = new TreeSet<>();
    for (long offset : offsets) {
      missing.add(offset);
    }
    if (missing.isEmpty()) {
      return found;
    }
    if (consumer == null) {
      consumer = new KafkaConsumer<>(consumerProperties);
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    consumer.seek(tp, missing.first());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!missing.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("reading back " + missing.size() + " candidates of " + tp + " took over " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (missing.remove(r.offset())) {
          found.put(r.offset(), r.value());
        }
      }
      long position = consumer.position(tp);
      // Offsets behind the position will not come: they are gone from the topic.
      while (!missing.isEmpty() && missing.first() < position) {
        missing.pollFirst();
      }
      if (!missing.isEmpty() && missing.first() - position > SEEK_GAP) {
        consumer.seek(tp, missing.first());
      }
    }
    return found;
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
  }
}
