package dev.languageranker.generator;

import org.apache.kafka.clients.producer.Producer;

/**
 * Sees each candidate record handed to the producer inside a transaction. Production uses {@link #NONE}; tests
 * use it to crash the service half-way through a group.
 */
@FunctionalInterface
public interface PublishObserver {
  PublishObserver NONE = (producer, sentInTransaction) -> {};

  void candidateSent(Producer<byte[], byte[]> producer, int sentInTransaction);
}
