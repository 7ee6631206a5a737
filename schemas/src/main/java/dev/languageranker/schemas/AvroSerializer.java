package dev.languageranker.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro class in Confluent framing when a Schema Registry is configured (subject
 * {@code <topic>-value}, or {@code -key} for keys), and in Avro single-object encoding when it is not.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model;
  private final BinaryMessageEncoder<T> singleObject;
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private SerdeConfig config = SerdeConfig.SINGLE_OBJECT;
  private SchemaRegistryClient registry;
  private boolean isKey;

  public AvroSerializer(Class<T> type) {
    this.type = Objects.requireNonNull(type);
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.singleObject = new BinaryMessageEncoder<>(model, schema);
  }

  /** Uses an existing registry client (shared caches) instead of creating one from the config map. */
  public AvroSerializer(Class<T> type, SerdeConfig config, SchemaRegistryClient registry) {
    this(type);
    this.config = config;
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (registry == null) {
      this.config = SerdeConfig.from(configs);
      this.registry = config.newClient();
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      if (registry == null) {
        return singleObject.encode(data).array();
      }
      int id = idsByTopic.computeIfAbsent(topic, this::schemaId);
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(WireFormat.CONFLUENT_MAGIC);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<T>(schema, model).write(data, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot serialize " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
    }
  }

  private int schemaId(String topic) {
    String subject = topic + (isKey ? "-key" : "-value");
    return config.autoRegister() ? registry.register(subject, schema) : registry.lookUp(subject, schema);
  }
}
