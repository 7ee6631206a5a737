package dev.languageranker.platform.kafka;

import dev.languageranker.events.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rejected records to {@code lr.dead-letters} with their reason, through the service's own producer so that
 * a transactional service commits the dead letter together with its consumer offsets. Counts and logs each.
 */
public final class DeadLetterPublisher {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

  private final String service;
  private final Producer<byte[], byte[]> producer;
  private final Serializer<DeadLetter> serializer;
  private final MeterRegistry meters;

  public DeadLetterPublisher(String service, Producer<byte[], byte[]> producer, Serializer<DeadLetter> serializer,
      MeterRegistry meters) {
    this.service = service;
    this.producer = producer;
    this.serializer = serializer;
    this.meters = meters;
  }

  /** Dead-letters a record read from Kafka. */
  public Future<RecordMetadata> publish(ConsumerRecord<byte[], byte[]> source, String reason, Throwable error) {
    return publish(DeadLetters.of(service, source.topic(), source.partition(), source.offset(), source.key(),
        source.value(), source.headers(), reason, error));
  }

  public Future<RecordMetadata> publish(DeadLetter letter) {
    log.warn("dead letter from {}: {}", letter.getSourceTopic(), letter.getReason());
    counter(meters, service, letter.getSourceTopic()).increment();
    return producer.send(DeadLetters.toRecord(letter, serializer));
  }

  /** The one dead-letter counter, by service and source topic. */
  static Counter counter(MeterRegistry meters, String service, String sourceTopic) {
    return Counter.builder("lr.dead.letters")
        .description("Records sent to lr.dead-letters")
        .tag("service", service)
        .tag("source_topic", sourceTopic)
        .register(meters);
  }
}
