package dev.languageranker.platform.kafka;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes raw consumer records, and dead-letters those that cannot be decoded instead of failing the consumer:
 * services consume bytes and decode here so that one bad record never stops a partition.
 */
public final class RecordDecoder<V> {
  private final Deserializer<V> deserializer;
  private final DeadLetterPublisher deadLetters;

  public RecordDecoder(Deserializer<V> deserializer, DeadLetterPublisher deadLetters) {
    this.deserializer = deserializer;
    this.deadLetters = deadLetters;
  }

  /** The decoded value, or empty after the record was dead-lettered (bad bytes or a null value). */
  public Optional<V> decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      deadLetters.publish(record, "record has no value", null);
      return Optional.empty();
    }
    try {
      return Optional.of(deserializer.deserialize(record.topic(), record.headers(), record.value()));
    } catch (RuntimeException e) {
      deadLetters.publish(record, "cannot deserialize: " + e.getMessage(), e);
      return Optional.empty();
    }
  }
}
