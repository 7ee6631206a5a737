package dev.languageranker.schemas;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka {@link Serde} for one generated Avro class, in Confluent framing or single-object encoding. */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  /** A serde configured later through {@link #configure} (schema.registry.url and friends). */
  public AvroSerde(Class<T> type) {
    this.serializer = new AvroSerializer<>(type);
    this.deserializer = new AvroDeserializer<>(type);
  }

  /** A ready serde; {@code registry} null means single-object encoding. */
  public AvroSerde(Class<T> type, SerdeConfig config, SchemaRegistryClient registry) {
    this.serializer = new AvroSerializer<>(type, config, registry);
    this.deserializer = new AvroDeserializer<>(type, registry);
  }

  /**
   * A ready serde for {@code config}, sharing {@code registry} so that its caches serve every serde; a null
   * {@code registry} with a registry URL in {@code config} gets a client of its own.
   */
  public static <T extends SpecificRecord> AvroSerde<T> of(
      Class<T> type, SerdeConfig config, SchemaRegistryClient registry) {
    if (!config.usesRegistry()) {
      return new AvroSerde<>(type, config, null);
    }
    return new AvroSerde<>(type, config, registry != null ? registry : config.newClient());
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
