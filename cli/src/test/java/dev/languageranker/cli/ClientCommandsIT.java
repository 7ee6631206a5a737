package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Reference;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ClientCommandsIT {

  private static void assertOneLineError(CliRun run, int exitCode, String expected) {
    assertEquals(exitCode, run.exitCode(), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("error: ") && run.err().contains(expected), run.err());
  }

  @Test
  void anUnknownFlagIsOneLineAndExitTwo() {
    assertOneLineError(CliRun.of("ask", "--bogus", "what?"), 2, "Unknown option: '--bogus'");
    assertOneLineError(CliRun.of("lag", "--samples", "0"), 2, "--samples must be at least 1");
    assertOneLineError(CliRun.of("feedback", "r-1", "0"), 2, "give exactly one of --score S, --correct, --incorrect");
    assertOneLineError(CliRun.of("ask", "--task", "poetry", "what?"), 2, "unknown task 'poetry'");
  }

  @Test
  void aMissingFileIsOneLineAndExitTwo() {
    assertOneLineError(CliRun.of("produce", "--file", "/no/such/prompts.jsonl"), 2,
        "no such file: /no/such/prompts.jsonl");
  }

  @Test
  void anUnreachableBrokerIsOneLineWithinTheTimeout() {
    long started = System.nanoTime();
    CliRun ask = CliRun.of("ask", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s", "what?");
    long seconds = (System.nanoTime() - started) / 1_000_000_000;

    assertOneLineError(ask, 1, "cannot reach Kafka at 127.0.0.1:1 within 2 s");
    assertTrue(seconds < 10, "gave up after " + seconds + " s");
    assertOneLineError(CliRun.of("lag", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s"), 1,
        "cannot reach Kafka");
    assertOneLineError(CliRun.of("feedback", "r-1", "0", "--score", "4", "--bootstrap-servers", "127.0.0.1:1",
        "--timeout", "2s"), 1, "cannot reach Kafka");
  }

  @Test
  void aMalformedLineIsReportedWithItsNumberWhileTheGoodLinesAreSent(KafkaBroker broker, @TempDir Path dir)
      throws Exception {
    TestTopics.ensureCatalogue(broker.config());
    String run = Long.toHexString(System.nanoTime());
    Path file = dir.resolve("prompts.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"requestId\": \"good-1-" + run
            + "\", \"task\": \"math\", \"text\": \"1 + 1?\", \"reference\": {\"answer\": \"2\"}}",
        "{\"requestId\": \"broken\", \"task\": \"math\", \"text\": ",
        "",
        "{\"requestId\": \"good-2-" + run + "\", \"task\": \"function\", \"text\": \"Weather in Oslo?\", "
            + "\"functions\": [{\"name\": \"get_weather\", \"parameters\": {\"properties\": {\"city\": {}}}}]}",
        "{\"task\": \"poetry\", \"text\": \"a poem\"}",
        "{\"task\": \"math\", \"text\": \"x\", \"colour\": \"red\"}"), StandardCharsets.UTF_8);

    CliRun produce = CliRun.of("produce", "--file", file.toString(), "--bootstrap-servers", broker.bootstrapServers());

    assertEquals(2, produce.exitCode(), produce.err());
    List<String> errors = produce.err().lines().toList();
    assertEquals(3, errors.size(), produce.err());
    assertTrue(errors.get(0).startsWith("error: " + file + " line 2: not JSON"), errors.get(0));
    assertTrue(errors.get(1).contains("line 5: unknown task 'poetry'"), errors.get(1));
    assertTrue(errors.get(2).contains("line 6: unknown field 'colour'"), errors.get(2));
    assertTrue(produce.out().startsWith("sent 2 prompts (1 with a reference); 3 bad lines skipped"), produce.out());

    Set<String> good = Set.of("good-1-" + run, "good-2-" + run);
    List<ConsumerRecord<byte[], byte[]>> prompts = TestTopics.readFromStart(broker.config(), Topics.PROMPTS.name(),
        r -> good.contains(new String(r.key(), StandardCharsets.UTF_8)), 2, Duration.ofSeconds(20));
    assertEquals(2, prompts.size());
    EventSerdes serdes = new EventSerdes(broker.config());
    PromptRequest function = prompts.stream()
        .map(r -> serdes.of(PromptRequest.class).deserializer().deserialize(Topics.PROMPTS.name(), r.value()))
        .filter(p -> p.getRequestId().startsWith("good-2")).findFirst().orElseThrow();
    assertEquals(dev.languageranker.events.Task.FUNCTION_CALL, function.getTask());
    List<ConsumerRecord<byte[], byte[]>> references = TestTopics.readFromStart(broker.config(),
        Topics.REFERENCES.name(), r -> good.contains(new String(r.key(), StandardCharsets.UTF_8)), 1,
        Duration.ofSeconds(20));
    Reference reference = serdes.of(Reference.class).deserializer().deserialize(Topics.REFERENCES.name(),
        references.get(0).value());
    assertEquals("2", reference.getAnswer());
    // A math reference carries the question, whose wording may fix the order of a list answer.
    assertEquals("1 + 1?", reference.getQuestion());
  }

  @Test
  void lagReportsAGroupsLagInRecordsAndSeconds(KafkaBroker broker) throws Exception {
    String topic = "lag-cli-" + System.nanoTime();
    String group = "lag-cli-group-" + System.nanoTime();
    var clients = new dev.languageranker.platform.kafka.KafkaClientProperties(broker.config());
    try (var admin = org.apache.kafka.clients.admin.Admin.create(clients.admin());
        var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(clients.producer("t"))) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
      long now = System.currentTimeMillis();
      for (long age : new long[]{90, 60, 30}) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, now - age * 1000, null,
            new byte[1])).get();
      }
      admin.alterConsumerGroupOffsets(group, java.util.Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
          new org.apache.kafka.clients.consumer.OffsetAndMetadata(1))).all().get();
    }

    CliRun lag = CliRun.of("lag", "--json", "--samples", "1", "--bootstrap-servers", broker.bootstrapServers());

    assertEquals(0, lag.exitCode(), lag.err());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var line = json.readTree(lag.out().lines().filter(l -> l.contains(group)).findFirst().orElseThrow());
    assertEquals(topic, line.get("topic").asText());
    assertEquals(2, line.get("lag").asLong());
    assertEquals(60, line.get("lagSeconds").asDouble(), 5);
    assertTrue(line.get("exactSeconds").asBoolean());
    assertEquals("OK", line.get("status").asText());
  }
}
