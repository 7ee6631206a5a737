package dev.languageranker.platform.kafka;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.schemas.AvroSerializer;
import dev.languageranker.schemas.SerdeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams handler for records that cannot be deserialized: it emits a {@link DeadLetter} (produced by
 * Streams itself, inside the same exactly-once transaction) and continues with the next record.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  /** Streams config key naming the service in the dead letters. */
  public static final String SERVICE_CONFIG = "lr.service.name";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

  private String service = "unknown";
  private AvroSerializer<DeadLetter> serializer;
  private MeterRegistry meters = Metrics.globalRegistry;

  @Override
  public void configure(Map<String, ?> configs) {
    Object name = configs.get(SERVICE_CONFIG);
    service = name == null ? "unknown" : name.toString();
    serializer = new AvroSerializer<>(DeadLetter.class);
    serializer.configure(configs, false);
    SerdeConfig.from(configs); // validates the serde settings early
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    DeadLetter letter = DeadLetters.of(service, record.topic(), record.partition(), record.offset(), record.key(),
        record.value(), record.headers(), "cannot deserialize: " + exception.getMessage(), exception);
    log.warn("dead letter from {}: {}", record.topic(), letter.getReason());
    DeadLetterPublisher.counter(meters, service, record.topic()).increment();
    return Response.resume(List.of(DeadLetters.toRecord(letter, serializer)));
  }
}
