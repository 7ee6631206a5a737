package dev.languageranker.platform.kafka;

import dev.languageranker.events.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** Builds {@link DeadLetter} events and the records that carry them to {@code lr.dead-letters}. */
public final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private DeadLetters() {}

  /**
   * A dead letter for a record read from Kafka (or about to be written, with null partition and offset). The
   * reason names the topic, partition and offset so an operator can find the original.
   */
  public static DeadLetter of(String service, String topic, Integer partition, Long offset, byte[] key, byte[] value,
      Headers headers, String reason, Throwable error) {
    Map<String, String> headerMap = new LinkedHashMap<>();
    if (headers != null) {
      for (Header h : headers) {
        headerMap.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    String where = topic + (partition == null ? "" : "-" + partition) + (offset == null ? "" : "@" + offset);
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setHeaders(headerMap)
        .setReason(reason + " [" + where + "]")
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setService(service)
        .setFailedAt(Instant.now())
        .build();
  }

  /**
   * A dead letter for a record a Kafka Streams processor rejected after decoding it: the value is re-encoded with
   * {@code serdes} (so nothing is lost), and counted and logged like every dead letter. {@code error} is the exception
   * that made the record unusable, or null when a check rejected it.
   */
  public static DeadLetter ofProcessed(String service, EventSerdes serdes,
      Optional<org.apache.kafka.streams.processor.api.RecordMetadata> meta,
      org.apache.kafka.streams.processor.api.Record<String, ? extends SpecificRecord> record, String reason,
      Throwable error) {
    String topic = meta.map(org.apache.kafka.streams.processor.api.RecordMetadata::topic).orElse("unknown");
    byte[] value = null;
    if (record.value() != null) {
      @SuppressWarnings("unchecked")
      Class<SpecificRecord> type = (Class<SpecificRecord>) record.value().getClass();
      value = serdes.of(type).serializer().serialize(topic, record.value());
    }
    return ofProcessedBytes(service, meta, record.withValue(value), reason, error);
  }

  /**
   * A dead letter for a record a Kafka Streams processor read as bytes and rejected, with those exact bytes;
   * counted and logged like every dead letter.
   */
  public static DeadLetter ofProcessedBytes(String service,
      Optional<org.apache.kafka.streams.processor.api.RecordMetadata> meta,
      org.apache.kafka.streams.processor.api.Record<String, byte[]> record, String reason, Throwable error) {
    String topic = meta.map(org.apache.kafka.streams.processor.api.RecordMetadata::topic).orElse("unknown");
    DeadLetter letter = of(service, topic,
        meta.map(org.apache.kafka.streams.processor.api.RecordMetadata::partition).orElse(null),
        meta.map(org.apache.kafka.streams.processor.api.RecordMetadata::offset).orElse(null),
        record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(), record.headers(),
        reason, error);
    log.warn("dead letter from {}: {}", topic, letter.getReason());
    count(service, topic);
    return letter;
  }

  /** The record that puts {@code letter} on the dead-letter topic, keyed by the source record's key. */
  public static ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter, Serializer<DeadLetter> serializer) {
    byte[] key = letter.getKey() == null ? null : bytes(letter.getKey());
    return new ProducerRecord<>(Topics.DEAD_LETTERS.name(), key,
        serializer.serialize(Topics.DEAD_LETTERS.name(), letter));
  }

  /** The one dead-letter counter, by service and source topic. */
  public static Counter counter(MeterRegistry meters, String service, String sourceTopic) {
    return Counter.builder("lr.dead.letters")
        .description("Records sent to lr.dead-letters")
        .tag("service", service)
        .tag("source_topic", sourceTopic)
        .register(meters);
  }

  /** Counts a dead letter in the process's global registry (for code that Kafka Streams instantiates). */
  public static void count(String service, String sourceTopic) {
    counter(Metrics.globalRegistry, service, sourceTopic).increment();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
