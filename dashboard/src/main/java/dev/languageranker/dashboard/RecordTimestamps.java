package dev.languageranker.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the timestamp of the record at a given offset (the oldest record a group has not consumed yet), so time lag
 * is that record's age rather than an estimate. A consumer without a group, assigned and seeked per read; results
 * are cached per partition, since a lagging group's committed offset often stays put between rounds.
 */
final class RecordTimestamps implements AutoCloseable {
  private final Consumer<byte[], byte[]> consumer;
  private final Duration timeout;
  private final Map<TopicPartition, long[]> cache = new HashMap<>(); // partition -> {offset, timestamp}

  RecordTimestamps(Consumer<byte[], byte[]> consumer, Duration timeout) {
    this.consumer = consumer;
    this.timeout = timeout;
  }

  /**
   * The timestamp of the first record at or after each requested offset; partitions whose record could not be read
   * within the timeout (deleted by retention, only transaction markers) are missing from the result.
   */
  Map<TopicPartition, Long> at(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, Long> found = new HashMap<>();
    Map<TopicPartition, Long> toRead = new HashMap<>();
    offsets.forEach((tp, offset) -> {
      long[] cached = cache.get(tp);
      if (cached != null && cached[0] == offset) {
        found.put(tp, cached[1]);
      } else {
        toRead.put(tp, offset);
      }
    });
    if (toRead.isEmpty()) {
      return found;
    }
    consumer.assign(toRead.keySet());
    toRead.forEach(consumer::seek);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!toRead.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Long wanted = toRead.get(tp);
        if (wanted != null && record.offset() >= wanted) {
          found.put(tp, record.timestamp());
          cache.put(tp, new long[]{wanted, record.timestamp()});
          toRead.remove(tp);
          consumer.pause(java.util.List.of(tp));
        }
      }
    }
    consumer.assign(java.util.List.of());
    return found;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
