package dev.languageranker.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a generated Avro class from either framing: Confluent (writer schema fetched from the registry by id) or
 * Avro single-object encoding (writer schema known by fingerprint). Writer and reader schemas are resolved, so
 * records written with an older schema version are read with the current one. {@code bytes} fields (feature vectors)
 * are views into the given array, not copies: Kafka hands every record its own array, and nothing changes it later.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model;
  private final Map<Long, SpecificDatumReader<T>> readersByFingerprint = new ConcurrentHashMap<>();
  private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;

  public AvroDeserializer(Class<T> type) {
    this.type = Objects.requireNonNull(type);
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    withKnownWriterSchema(schema);
  }

  /** Uses an existing registry client (shared caches); null reads single-object encoding only. */
  public AvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
    this(type);
    this.registry = registry;
  }

  /** Makes an older writer schema of this type readable in single-object encoding. */
  public AvroDeserializer<T> withKnownWriterSchema(Schema writerSchema) {
    readersByFingerprint.put(SchemaNormalization.parsingFingerprint64(writerSchema),
        new SpecificDatumReader<>(writerSchema, schema, model));
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = SerdeConfig.from(configs).newClient();
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    WireFormat format = WireFormat.of(data);
    if (format == null) {
      throw new SerializationException(
          "topic " + topic + ": value is not " + type.getSimpleName() + " in a known framing (first bytes "
              + HexFormat.of().formatHex(data, 0, Math.min(data.length, 4)) + ", " + data.length
              + " bytes; expected 00 for Confluent framing or c301 for Avro single-object encoding)");
    }
    try {
      return format == WireFormat.CONFLUENT ? readConfluent(data) : readSingleObject(data);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "topic " + topic + ": cannot read " + type.getSimpleName() + " (" + format + " framing): "
              + e.getMessage(),
          e);
    }
  }

  /** Single-object encoding read straight from the array, past its 10-byte header. */
  private T readSingleObject(byte[] data) throws IOException {
    long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    SpecificDatumReader<T> reader = readersByFingerprint.get(fingerprint);
    if (reader == null) {
      throw new IOException("unknown schema fingerprint " + Long.toHexString(fingerprint)
          + " (written with a " + type.getSimpleName() + " schema this reader does not know)");
    }
    return reader.read(null, new SlicingDecoder(data, 10, data.length - 10));
  }

  private T readConfluent(byte[] data) throws IOException {
    if (registry == null) {
      throw new IOException("record uses Confluent framing but no schema.registry.url is configured");
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    SpecificDatumReader<T> reader = readersById.computeIfAbsent(id,
        key -> new SpecificDatumReader<>(registry.schemaById(key), schema, model));
    return reader.read(null,
        new SlicingDecoder(data, WireFormat.CONFLUENT_HEADER, data.length - WireFormat.CONFLUENT_HEADER));
  }
}
