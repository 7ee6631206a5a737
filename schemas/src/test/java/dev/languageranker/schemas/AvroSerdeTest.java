package dev.languageranker.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Task;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private ConfluentRegistryStub registry;

  @BeforeEach
  void start() {
    registry = new ConfluentRegistryStub();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void everyEventRoundTripsInSingleObjectEncoding() {
    for (SpecificRecord event : SampleEvents.all()) {
      AvroSerde<SpecificRecord> serde = serde(event, null);
      byte[] bytes = serde.serializer().serialize("topic", event);

      assertEquals(WireFormat.SINGLE_OBJECT, WireFormat.of(bytes));
      assertEquals(event, serde.deserializer().deserialize("topic", bytes), event.getClass().getSimpleName());
    }
  }

  @Test
  void everyEventRoundTripsInConfluentFramingWithTheSubjectOfItsTopic() {
    int id = 1;
    for (SpecificRecord event : SampleEvents.all()) {
      registry.withSchema("t" + id + "-value", event.getSchema(), 100 + id);
      AvroSerde<SpecificRecord> serde = serde(event, registry.url());
      byte[] bytes = serde.serializer().serialize("t" + id, event);

      assertEquals(WireFormat.CONFLUENT, WireFormat.of(bytes));
      assertArrayEquals(new byte[]{0, 0, 0, 0, (byte) (100 + id)}, Arrays.copyOf(bytes, 5));
      assertEquals(event, serde.deserializer().deserialize("t" + id, bytes), event.getClass().getSimpleName());
      id++;
    }
  }

  @Test
  void aRegistryConfiguredDeserializerAlsoReadsSingleObjectEncoding() {
    PromptRequest prompt = SampleEvents.prompt();
    byte[] singleObject = serde(prompt, null).serializer().serialize("lr.prompts", prompt);

    assertEquals(prompt, serde(prompt, registry.url()).deserializer().deserialize("lr.prompts", singleObject));
  }

  @Test
  void readsARecordWrittenWithAnOlderSchemaInConfluentFraming() throws Exception {
    Schema old = olderPromptSchema();
    registry.withSchemaId(old, 7);
    byte[] body = genericBody(old, olderPrompt(old));
    byte[] framed = new byte[5 + body.length];
    framed[4] = 7;
    System.arraycopy(body, 0, framed, 5, body.length);

    PromptRequest read = serde(SampleEvents.prompt(), registry.url()).deserializer().deserialize("lr.prompts", framed);

    assertEquals("req-old", read.getRequestId());
    assertEquals("default", read.getRankerId()); // a field the old writer lacked takes its default
    assertEquals(Map.of(), read.getMetadata());
  }

  @Test
  void readsARecordWrittenWithAnOlderSchemaInSingleObjectEncodingOnceThatSchemaIsKnown() throws Exception {
    Schema old = olderPromptSchema();
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(olderPrompt(old)).array();
    AvroDeserializer<PromptRequest> deserializer = new AvroDeserializer<>(PromptRequest.class);

    SerializationException unknown = assertThrows(SerializationException.class,
        () -> deserializer.deserialize("lr.prompts", bytes));
    assertTrue(unknown.getMessage().contains("lr.prompts"), unknown.getMessage());

    PromptRequest read = deserializer.withKnownWriterSchema(old).deserialize("lr.prompts", bytes);
    assertEquals("req-old", read.getRequestId());
  }

  @Test
  void bytesInNoKnownFramingAreRejectedWithTheTopicAndTheFirstBytes() {
    AvroDeserializer<PromptRequest> deserializer = new AvroDeserializer<>(PromptRequest.class);

    SerializationException e = assertThrows(SerializationException.class,
        () -> deserializer.deserialize("lr.prompts", "{\"not\":\"avro\"}".getBytes()));

    assertTrue(e.getMessage().contains("lr.prompts"), e.getMessage());
    assertTrue(e.getMessage().contains("7b226e6f"), e.getMessage());
  }

  @Test
  void featureBytesAreReadAsViewsIntoTheRecordNotCopies() {
    Candidate candidate = SampleEvents.candidate(1, 64);
    byte[] bytes = serde(candidate, null).serializer().serialize("lr.candidates", candidate);

    Candidate read = new AvroDeserializer<>(Candidate.class).deserialize("lr.candidates", bytes);

    assertEquals(candidate, read);
    assertSame(bytes, read.getFeatures().getResponse().array());
    assertSame(bytes, read.getFeatures().getInstruction().array());
    assertEquals(candidate.getFeatures().getResponse().remaining(), read.getFeatures().getResponse().remaining());
  }

  @Test
  void aCandidateCutInsideItsFeaturesIsRejected() {
    Candidate candidate = SampleEvents.candidate(1, 64);
    byte[] bytes = serde(candidate, null).serializer().serialize("lr.candidates", candidate);

    assertThrows(SerializationException.class, () -> new AvroDeserializer<>(Candidate.class)
        .deserialize("lr.candidates", Arrays.copyOf(bytes, bytes.length - 200)));
  }

  @Test
  void aTruncatedRecordIsRejected() {
    PromptRequest prompt = SampleEvents.prompt();
    byte[] bytes = serde(prompt, null).serializer().serialize("lr.prompts", prompt);

    assertThrows(SerializationException.class, () -> new AvroDeserializer<>(PromptRequest.class)
        .deserialize("lr.prompts", Arrays.copyOf(bytes, bytes.length / 2)));
  }

  @Test
  void confluentFramingWithoutARegistryIsRejectedWithTheReason() {
    SerializationException e = assertThrows(SerializationException.class,
        () -> new AvroDeserializer<>(PromptRequest.class).deserialize("lr.prompts", new byte[]{0, 0, 0, 0, 1, 2}));

    assertTrue(e.getMessage().contains("no schema.registry.url"), e.getMessage());
  }

  @Test
  void nullIsATombstoneBothWays() {
    AvroSerde<PromptRequest> serde = new AvroSerde<>(PromptRequest.class, SerdeConfig.SINGLE_OBJECT, null);

    assertNull(serde.serializer().serialize("lr.prompts", null));
    assertNull(serde.deserializer().deserialize("lr.prompts", null));
  }

  @Test
  void withoutAutoRegistrationTheSerializerLooksUpTheExistingId() {
    PromptRequest prompt = SampleEvents.prompt();
    registry.withSchema("lr.prompts-value", prompt.getSchema(), 42);
    AvroSerde<PromptRequest> serde = new AvroSerde<>(PromptRequest.class);
    serde.configure(Map.of(SerdeConfig.REGISTRY_URL, registry.url(), SerdeConfig.AUTO_REGISTER, "false"), false);

    byte[] bytes = serde.serializer().serialize("lr.prompts", prompt);

    assertEquals(42, bytes[4]);
    registry.server().verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/subjects/lr.prompts-value/versions")));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T extends SpecificRecord> AvroSerde<T> serde(T event, String registryUrl) {
    Class<T> type = (Class<T>) event.getClass();
    SerdeConfig config = new SerdeConfig(registryUrl, null, Duration.ofSeconds(5), true);
    return AvroSerde.of(type, config, null);
  }

  /** PromptRequest as a first version might have had it: no rankerId, no metadata. */
  private static Schema olderPromptSchema() {
    return SchemaBuilder.record("PromptRequest").namespace("dev.languageranker.events").fields()
        .requiredString("requestId")
        .name("task").type(Task.getClassSchema()).noDefault()
        .name("text").type().optional().stringType()
        .name("createdAt").type(org.apache.avro.LogicalTypes.timestampMillis()
            .addToSchema(Schema.create(Schema.Type.LONG)))
        .noDefault()
        .endRecord();
  }

  private static GenericRecord olderPrompt(Schema old) {
    GenericRecord record = new GenericData.Record(old);
    record.put("requestId", "req-old");
    record.put("task", new GenericData.EnumSymbol(Task.getClassSchema(), "MATH"));
    record.put("text", "1+1?");
    record.put("createdAt", 1_790_000_000_000L);
    return record;
  }

  private static byte[] genericBody(Schema schema, GenericRecord record) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
