package dev.languageranker.generator;

import dev.languageranker.events.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** A prompt record read from Kafka: prepared for generation, or rejected with the dead letter to publish. */
record QueuedRecord(ConsumerRecord<byte[], byte[]> record, PreparedPrompt prompt, DeadLetter rejection) {

  static QueuedRecord prepared(ConsumerRecord<byte[], byte[]> record, PreparedPrompt prompt) {
    return new QueuedRecord(record, prompt, null);
  }

  static QueuedRecord rejected(ConsumerRecord<byte[], byte[]> record, DeadLetter letter) {
    return new QueuedRecord(record, null, letter);
  }

  boolean isRejected() {
    return rejection != null;
  }

  TopicPartition partition() {
    return new TopicPartition(record.topic(), record.partition());
  }
}
