package dev.languageranker.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import dev.languageranker.schemas.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad bytes never stop a consumer: they land on lr.dead-letters with where they came from and why. */
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterIT {
  private static final byte[] GARBAGE = "not an avro record".getBytes(StandardCharsets.UTF_8);

  @Test
  void aConsumerDeadLettersUndecodableBytesAndGoesOnWithTheNextRecord(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config();
    TestTopics.ensureCatalogue(config);
    EventSerdes serdes = new EventSerdes(config);
    String badKey = "bad-" + UUID.randomUUID();
    String goodKey = "good-" + UUID.randomUUID();
    PromptRequest good = PromptRequest.newBuilder(SampleEvents.prompt()).setRequestId(goodKey).build();
    KafkaClientProperties clients = new KafkaClientProperties(config);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<PromptRequest> decoded = new ArrayList<>();
    ConsumerRecord<byte[], byte[]> badRecord = null;

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("dlt-test"));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer("dlt-" + badKey, "dlt-test"))) {
      // Same key partitioning for both so the bad record comes first in one partition.
      producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), 0, bytes(badKey), GARBAGE)).get();
      producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), 0, bytes(goodKey),
          serdes.of(Topics.PROMPTS).serializer().serialize(Topics.PROMPTS.name(), good))).get();
      DeadLetterPublisher deadLetters = new DeadLetterPublisher("test-service", producer,
          serdes.of(DeadLetter.class).serializer(), meters);
      RecordDecoder<PromptRequest> decoder = new RecordDecoder<>(serdes.of(Topics.PROMPTS).deserializer(), deadLetters);
      TopicPartition partition = new TopicPartition(Topics.PROMPTS.name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (decoded.stream().noneMatch(p -> p.getRequestId().equals(goodKey)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          if (!key.equals(badKey) && !key.equals(goodKey)) {
            continue; // other tests on this shared broker write to lr.prompts too
          }
          if (key.equals(badKey)) {
            badRecord = record;
          }
          decoder.decode(record).ifPresent(decoded::add);
        }
      }
      producer.flush();
    }

    assertTrue(decoded.contains(good), "the good record after the bad one was decoded");
    DeadLetter letter = deadLetterWithKey(config, serdes, badKey);
    assertEquals("lr.prompts", letter.getSourceTopic());
    assertEquals(0, letter.getPartition());
    assertEquals(badRecord.offset(), letter.getOffset());
    assertArrayEquals(GARBAGE, array(letter.getValue()));
    assertEquals("test-service", letter.getService());
    assertTrue(letter.getReason().contains("lr.prompts-0@" + badRecord.offset()), letter.getReason());
    assertTrue(letter.getReason().contains("known framing"), letter.getReason());
    assertEquals(1.0, meters.get("lr.dead.letters").tag("source_topic", "lr.prompts").counter().count());
  }

  @Test
  void aStreamsAppDeadLettersUndecodableBytesInsideItsTransactionAndGoesOn(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config(Map.of("streams.state.dir", Files.createTempDirectory("lr-streams").toString()));
    TestTopics.ensureCatalogue(config);
    String output = "test.prompt-ids";
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      if (!admin.listTopics().names().get().contains(output)) {
        admin.createTopics(List.of(new NewTopic(output, 1, (short) 1))).all().get();
      }
    }
    EventSerdes serdes = new EventSerdes(config);
    String badKey = "sbad-" + UUID.randomUUID();
    String goodKey = "sgood-" + UUID.randomUUID();
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(Topics.PROMPTS.name(), Consumed.with(Serdes.String(), serdes.of(Topics.PROMPTS)))
        .mapValues(PromptRequest::getRequestId)
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
    Properties props = new Properties();
    props.putAll(new KafkaClientProperties(config).streams("dlt-streams-" + UUID.randomUUID(), "streams-test"));

    try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("p"))) {
      streams.start();
      producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), bytes(badKey), GARBAGE)).get();
      producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), bytes(goodKey), serdes.of(Topics.PROMPTS).serializer()
          .serialize(Topics.PROMPTS.name(),
              PromptRequest.newBuilder(SampleEvents.prompt()).setRequestId(goodKey).build())))
          .get();

      List<ConsumerRecord<byte[], byte[]>> out = TestTopics.readFromStart(config, output,
          r -> goodKey.equals(new String(r.value(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(60));
      assertEquals(1, out.size(), "the good record was processed");
      DeadLetter letter = deadLetterWithKey(config, serdes, badKey);
      assertEquals("streams-test", letter.getService());
      assertArrayEquals(GARBAGE, array(letter.getValue()));
      assertEquals(KafkaStreams.State.RUNNING, streams.state());
    }
  }

  private static DeadLetter deadLetterWithKey(LrConfig config, EventSerdes serdes, String key) {
    List<ConsumerRecord<byte[], byte[]>> letters = TestTopics.readFromStart(config, Topics.DEAD_LETTERS.name(),
        r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(30));
    assertEquals(1, letters.size(), "a dead letter for key " + key);
    return serdes.of(Topics.DEAD_LETTERS).deserializer().deserialize(Topics.DEAD_LETTERS.name(),
        letters.get(0).value());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] array(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
