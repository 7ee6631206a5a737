package dev.languageranker.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The registry client and serdes against Confluent's real Schema Registry image; skipped without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class RealSchemaRegistryIT {
  private static final Network NETWORK = Network.newNetwork();

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1")
      .withNetwork(NETWORK).withListener("kafka:19092");

  @Container static final GenericContainer<?> REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
      .withNetwork(NETWORK).dependsOn(KAFKA).withExposedPorts(8081)
      .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
      .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
      .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
      .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

  private static String url() {
    return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyEventRoundTripsThroughTheRealRegistry() {
    SchemaRegistryClient client = new SchemaRegistryClient(url(), null, Duration.ofSeconds(10));
    for (SpecificRecord event : SampleEvents.all()) {
      Class<SpecificRecord> type = (Class<SpecificRecord>) event.getClass();
      AvroSerde<SpecificRecord> writer = AvroSerde.of(type, new SerdeConfig(url(), null, Duration.ofSeconds(10), true),
          null);
      AvroSerde<SpecificRecord> reader = AvroSerde.of(type, new SerdeConfig(url(), null, Duration.ofSeconds(10), true),
          null);
      String topic = "it." + type.getSimpleName();

      byte[] bytes = writer.serializer().serialize(topic, event);

      assertEquals(event, reader.deserializer().deserialize(topic, bytes));
      assertTrue(client.checkCompatibility(topic + "-value", event.getSchema()).compatible());
    }
  }

  @Test
  void theRealRegistryRefusesABackwardIncompatibleSchema() {
    SchemaRegistryClient client = new SchemaRegistryClient(url(), null, Duration.ofSeconds(10));
    Schema current = SampleEvents.prompt().getSchema();
    client.register("it.breaking-value", current);
    Schema broken = new Schema.Parser().parse(current.toString().replaceFirst(
        "\\{\"name\":\"requestId\"", "{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"requestId\""));

    assertFalse(client.checkCompatibility("it.breaking-value", broken).compatible());
    SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
        () -> client.register("it.breaking-value", broken));
    assertEquals(409, e.status());
  }
}
