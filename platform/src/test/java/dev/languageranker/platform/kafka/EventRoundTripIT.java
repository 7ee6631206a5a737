package dev.languageranker.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import dev.languageranker.schemas.ConfluentRegistryStub;
import dev.languageranker.schemas.SampleEvents;
import dev.languageranker.schemas.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every event type travels through a real broker and back, in both wire framings. */
@ExtendWith(KafkaBrokerExtension.class)
class EventRoundTripIT {

  @Test
  void everyEventRoundTripsInSingleObjectEncoding(KafkaBroker broker) {
    LrConfig config = broker.config();
    roundTrip(config, WireFormat.SINGLE_OBJECT);
  }

  @Test
  void everyEventRoundTripsInConfluentFramingAgainstARegistry(KafkaBroker broker) {
    try (ConfluentRegistryStub registry = new ConfluentRegistryStub()) {
      int id = 1;
      for (Topic<?> topic : Topics.ALL) {
        registry.withSchema(topic.name() + "-value", SpecificRecordSchemas.of(topic.valueType()), id++);
      }
      roundTrip(broker.config(Map.of("schema.registry.url", registry.url())), WireFormat.CONFLUENT);
    }
  }

  @SuppressWarnings("unchecked")
  private static void roundTrip(LrConfig config, WireFormat expectedFormat) {
    TestTopics.ensureCatalogue(config);
    EventSerdes serdes = new EventSerdes(config);
    // Several topics may carry one value type (training examples, and the same examples re-keyed by rankerId).
    Map<Class<?>, SpecificRecord> sampleByType = new HashMap<>();
    for (SpecificRecord sample : SampleEvents.all()) {
      sampleByType.put(sample.getClass(), sample);
    }
    String key = UUID.randomUUID().toString();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        new KafkaClientProperties(config).producer("rt"))) {
      for (Topic<?> t : Topics.ALL) {
        Topic<SpecificRecord> topic = (Topic<SpecificRecord>) t;
        SpecificRecord sample = sampleByType.get(topic.valueType());
        assertNotNull(sample, "SampleEvents has a sample of " + topic.valueType().getSimpleName());
        byte[] value = serdes.of(topic).serializer().serialize(topic.name(), sample);
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), value));
      }
      producer.flush();
    }
    for (Topic<?> t : Topics.ALL) {
      Topic<SpecificRecord> topic = (Topic<SpecificRecord>) t;
      List<ConsumerRecord<byte[], byte[]>> mine = TestTopics.readFromStart(config, topic.name(),
          r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(20));
      assertEquals(1, mine.size(), topic.name());
      assertEquals(expectedFormat, WireFormat.of(mine.get(0).value()));
      assertEquals(sampleByType.get(topic.valueType()),
          serdes.of(topic).deserializer().deserialize(topic.name(), mine.get(0).value()), topic.name());
    }
  }

  /** The schema of a generated class. */
  private static final class SpecificRecordSchemas {
    static org.apache.avro.Schema of(Class<?> type) {
      return org.apache.avro.specific.SpecificData.get().getSchema(type);
    }
  }
}
