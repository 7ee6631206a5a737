package dev.languageranker.platform.kafka;

import dev.languageranker.events.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** Builds {@link DeadLetter} events and the records that carry them to {@code lr.dead-letters}. */
public final class DeadLetters {
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

  /** The record that puts {@code letter} on the dead-letter topic, keyed by the source record's key. */
  public static ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter, Serializer<DeadLetter> serializer) {
    byte[] key = letter.getKey() == null ? null : bytes(letter.getKey());
    return new ProducerRecord<>(Topics.DEAD_LETTERS.name(), key, serializer.serialize(Topics.DEAD_LETTERS.name(), letter));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
