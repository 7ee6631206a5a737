package dev.languageranker.platform.kafka;

/** A Kafka admin or client operation failed or timed out; the cause is Kafka's own exception. */
public final class KafkaOperationException extends RuntimeException {
  public KafkaOperationException(String message, Throwable cause) {
    super(message, cause);
  }
}
