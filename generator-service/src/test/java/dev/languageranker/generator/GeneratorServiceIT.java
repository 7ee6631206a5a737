package dev.languageranker.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.ChatMessage;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.events.Task;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.RuntimeOptions;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The generator as deployed, on a real broker: prompts in, exactly K committed candidates per prompt out. */
@ExtendWith(KafkaBrokerExtension.class)
class GeneratorServiceIT {
  private static final int K = 4;
  private static final String FUNCTIONS = "[{\"name\": \"get_weather\", \"parameters\": {\"properties\": "
      + "{\"city\": {}, \"unit\": {}}}}, {\"name\": \"set_timer\", \"parameters\": {\"properties\": "
      + "{\"minutes\": {}, \"label\": {}}}}]";

  @TempDir static Path temp;
  private static Path tinyModel;

  @BeforeAll
  static void writeTinyModel() throws Exception {
    tinyModel = TinyModelDirectory.write(temp.resolve("tiny"));
  }

  @Test
  void twentyPromptsOfMixedTasksBecomeExactlyKCandidatesEachWithTheModelsFeatures(KafkaBroker broker)
      throws Exception {
    servesTwentyMixedPrompts(broker, tinyModel, 8, "tiny");
  }

  @Test
  void theDemoModelServesTwentyPromptsOfMixedTasks(KafkaBroker broker) throws Exception {
    assumeTrue(TinyModelDirectory.demoPresent(), "models/demo is not committed yet (no "
        + TinyModelDirectory.DEMO.resolve("config.json") + "): skipping the demo-model run");
    servesTwentyMixedPrompts(broker, TinyModelDirectory.DEMO, 48, "demo");
  }

  private void servesTwentyMixedPrompts(KafkaBroker broker, Path modelDir, int maxNewTokens, String instance)
      throws Exception {
    // Given the generator serving a model, with bf16 features (the default)
    LrConfig config = config(broker, modelDir, instance, Map.of("generator.max.new.tokens", "" + maxNewTokens));
    TestTopics.ensureCatalogue(config);
    EventSerdes serdes = new EventSerdes(config);
    String run = "mixed-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<PromptRequest> prompts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      prompts.add(mixedPrompt(run + i, i));
    }
    try (LoadedModel model = ModelDirectory.load(modelDir, RuntimeOptions.defaults())) {
      try (ServiceMetrics metrics = new ServiceMetrics("generator");
          GeneratorService service = GeneratorService.start(config, metrics, model, false, PublishObserver.NONE)) {
        // When 20 prompts of the four tasks (some as messages, some with their own seed) arrive
        send(config, serdes, prompts);
        // Then exactly 20 x K committed candidates come out, keyed by request id, K per request
        Map<String, List<Candidate>> groups = readGroups(config, serdes, run, 20 * K, Duration.ofSeconds(120));
        assertEquals(20, groups.size());
        assertEquals(20 * K, groups.values().stream().mapToInt(List::size).sum());
        assertNoMoreCandidates(config, run, 20 * K);
        for (PromptRequest prompt : prompts) {
          List<Candidate> group = groups.get(prompt.getRequestId());
          assertEquals(IntStream.range(0, K).boxed().toList(),
              group.stream().map(Candidate::getIndex).sorted().toList(),
              prompt.getRequestId());
          for (Candidate c : group) {
            assertEquals(prompt.getTask(), c.getTask());
            assertEquals(K, c.getK());
            assertEquals(model.config().hiddenSize(), c.getFeatures().getDim());
            assertEquals(model.config().numLayers(), c.getFeatures().getNumLayers());
            assertEquals(model.featureLayer(), c.getFeatures().getLayer());
            assertEquals(FeatureDtype.BFLOAT16, c.getFeatures().getDtype());
            assertEquals(model.config().hiddenSize() * 2, c.getFeatures().getResponse().remaining());
            assertEquals(modelDir.toAbsolutePath().normalize().getFileName().toString(), c.getBaseModelId());
            assertTrue(c.getTokenCount() >= 1 && c.getTokenCount() <= maxNewTokens, "tokens " + c.getTokenCount());
            assertEquals(c.getLogProbSum() / c.getTokenCount(), c.getLogProbMean(), 1e-9);
          }
          // the instruction feature is the same for the whole group
          assertEquals(1, group.stream().map(c -> c.getFeatures().getInstruction()).distinct().count());
        }
        assertTrue(metrics.registry().get("lr.generator.candidates").counter().count() >= 20 * K);
      }
      // And the seeded prompts' candidates are what the model generates for them directly, in float32: the same
      // texts, and bf16 features within rounding of the float32 ones
      GeneratorSettings float32 = GeneratorSettings.from(config.with(Map.of("generator.feature.dtype", "float32")));
      PromptPreparer preparer = new PromptPreparer(model, float32);
      PromptBatchGenerator direct = new PromptBatchGenerator(model, float32, Clock.systemUTC());
      Map<String, List<Candidate>> groups = readGroups(config, serdes, run, 20 * K, Duration.ofSeconds(30));
      int compared = 0;
      for (PromptRequest prompt : prompts) {
        if (prompt.getSampling() == null || prompt.getSampling().getSeed() == null) {
          continue;
        }
        List<Candidate> expected = direct.generate(List.of(preparer.prepare(prompt))).get(0);
        List<Candidate> got = new ArrayList<>(groups.get(prompt.getRequestId()));
        got.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
        for (int i = 0; i < K; i++) {
          assertEquals(expected.get(i).getText(), got.get(i).getText());
          float[] f32 = FeatureBytes.decode(expected.get(i).getFeatures().getResponse(), FeatureDtype.FLOAT32);
          float[] bf16 = FeatureBytes.decode(got.get(i).getFeatures().getResponse(), FeatureDtype.BFLOAT16);
          assertTrue(FeatureBytes.maxRelativeError(bf16, f32, 1e-6) <= 1.0 / 256, prompt.getRequestId());
          float[] i32 = FeatureBytes.decode(expected.get(i).getFeatures().getInstruction(), FeatureDtype.FLOAT32);
          float[] i16 = FeatureBytes.decode(got.get(i).getFeatures().getInstruction(), FeatureDtype.BFLOAT16);
          assertTrue(FeatureBytes.maxRelativeError(i16, i32, 1e-6) <= 1.0 / 256, prompt.getRequestId());
          compared++;
        }
      }
      assertEquals(4 * K, compared);
    }
  }

  @Test
  void badPromptsGoToDeadLettersWithTheirReasonAndTheNextGoodPromptIsServed(KafkaBroker broker) throws Exception {
    LrConfig config = config(broker, tinyModel, "dlt", Map.of("generator.k.max", "8"));
    TestTopics.ensureCatalogue(config);
    EventSerdes serdes = new EventSerdes(config);
    String run = "bad-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Map<String, String> expectedReasons = new TreeMap<>();
    Map<String, byte[]> bad = new HashMap<>();
    bad.put(run + "empty", bytes(serdes, prompt(run + "empty", Task.MATH, " ").build()));
    expectedReasons.put(run + "empty", "empty prompt");
    bad.put(run + "k0", bytes(serdes, prompt(run + "k0", Task.MATH, "2+2?").setK(0).build()));
    expectedReasons.put(run + "k0", "k 0 is outside 1..8");
    bad.put(run + "k9", bytes(serdes, prompt(run + "k9", Task.MATH, "2+2?").setK(9).build()));
    expectedReasons.put(run + "k9", "k 9 is outside 1..8");
    bad.put(run + "long", bytes(serdes, prompt(run + "long", Task.GENERAL, "apples ".repeat(400)).build()));
    expectedReasons.put(run + "long", "over the model's context length of " + TinyModelDirectory.CONTEXT);
    bad.put(run + "unknown", bytes(serdes, prompt(run + "unknown", Task.UNKNOWN, "hello").build()));
    expectedReasons.put(run + "unknown", "unknown task UNKNOWN");
    bad.put(run + "nofunctions", bytes(serdes, prompt(run + "nofunctions", Task.FUNCTION_CALL, "Weather?").build()));
    expectedReasons.put(run + "nofunctions", "without a function list");
    bad.put(run + "garbage", "not avro".getBytes(StandardCharsets.UTF_8));
    expectedReasons.put(run + "garbage", "cannot deserialize");
    String good = run + "good";

    try (ServiceMetrics metrics = new ServiceMetrics("generator");
        GeneratorService service = GeneratorService.start(config, metrics)) {
      // Given the bad prompts, then a good one, all in one partition so the good one comes last
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
          new KafkaClientProperties(config).producer("t"))) {
        for (var entry : new TreeMap<>(bad).entrySet()) {
          producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), 0, key(entry.getKey()), entry.getValue()));
        }
        producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), 0, key(good),
            bytes(serdes, prompt(good, Task.MATH, "Tom has 3 apples.").build())));
      }
      // Then the good prompt is served
      Map<String, List<Candidate>> groups = readGroups(config, serdes, good, K, Duration.ofSeconds(60));
      assertEquals(K, groups.get(good).size());
      // And each bad one is a dead letter naming its reason, its source and the generator
      List<ConsumerRecord<byte[], byte[]>> letters = TestTopics.readFromStart(config, Topics.DEAD_LETTERS.name(),
          r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(run), bad.size(),
          Duration.ofSeconds(30));
      Map<String, String> reasons = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> record : letters) {
        DeadLetter letter = serdes.of(DeadLetter.class).deserializer().deserialize(record.topic(), record.value());
        assertEquals("generator", letter.getService());
        assertEquals(Topics.PROMPTS.name(), letter.getSourceTopic());
        assertEquals(0, letter.getPartition());
        reasons.put(new String(record.key(), StandardCharsets.UTF_8), letter.getReason());
      }
      assertEquals(expectedReasons.keySet(), reasons.keySet());
      expectedReasons
          .forEach((key, reason) -> assertTrue(reasons.get(key).contains(reason), key + ": " + reasons.get(key)));
      assertTrue(service.isServing());
    }
  }

  @Test
  void aServiceKilledHalfWayThroughAGroupLeavesExactlyKCommittedCandidatesPerPromptAfterRestart(KafkaBroker broker)
      throws Exception {
    // Small batches (two prompts each), so the kill falls in the second transaction, after a committed one
    LrConfig config = config(broker, tinyModel, "crash", Map.of("generator.batch.tokens", "600"));
    TestTopics.ensureCatalogue(config);
    EventSerdes serdes = new EventSerdes(config);
    String run = "crash-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    int prompts = 8;
    List<PromptRequest> requests = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      requests.add(prompt(run + i, Task.MATH, "Tom has " + i + " apples. Then Tom buys 3 more.").build());
    }
    int killAfter = 3 * K + 2;
    AtomicInteger sent = new AtomicInteger();
    // The kill: flush what was sent (it is on the broker, in the open transaction), then drop the producer
    // without aborting, as a dying process would, and stop the loop.
    PublishObserver kill = (producer, inTransaction) -> {
      if (sent.incrementAndGet() == killAfter) {
        producer.flush();
        producer.close(Duration.ZERO);
        throw new IllegalStateException("simulated crash after " + killAfter + " candidates");
      }
    };
    try (LoadedModel model = ModelDirectory.load(tinyModel, RuntimeOptions.defaults())) {
      try (ServiceMetrics metrics = new ServiceMetrics("generator");
          GeneratorService first = GeneratorService.start(config, metrics, model, false, kill)) {
        assertTrue(first.awaitAssignment(Duration.ofSeconds(30)));
        send(config, serdes, requests);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (first.isServing() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertFalse(first.isServing(), "the first instance was killed");
        assertFalse(first.health().up());
      }
      // The partial group did reach the log, uncommitted
      int uncommitted = readUncommitted(config, run, killAfter, Duration.ofSeconds(20));
      assertTrue(uncommitted >= killAfter, "records in the log, committed or not: " + uncommitted);

      // When a new instance with the same name starts
      try (ServiceMetrics metrics = new ServiceMetrics("generator");
          GeneratorService second = GeneratorService.start(config, metrics, model, false, PublishObserver.NONE)) {
        // Then every prompt ends with exactly K committed candidates, indices 0..K-1 once each
        Map<String, List<Candidate>> groups = readGroups(config, serdes, run, prompts * K, Duration.ofSeconds(90));
        assertEquals(prompts, groups.size());
        for (PromptRequest request : requests) {
          assertEquals(IntStream.range(0, K).boxed().toList(),
              groups.get(request.getRequestId()).stream().map(Candidate::getIndex).sorted().toList(),
              request.getRequestId());
        }
        assertNoMoreCandidates(config, run, prompts * K);
        assertTrue(second.isServing());
      }
    }
  }

  private static LrConfig config(KafkaBroker broker, Path model, String instance, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("metrics.port", "-1",
        "generator.model.dir", model.toString(), "generator.instance.id", instance + "-" + UUID.randomUUID(),
        "generator.k.default", "" + K, "generator.max.new.tokens", "8"));
    settings.putAll(extra);
    if (instance.equals("crash")) {
      // the restarted instance must have the same name, so that it aborts its predecessor's transaction at once
      settings.put("generator.instance.id", "crash");
    }
    return broker.config(settings);
  }

  private static PromptRequest mixedPrompt(String id, int i) {
    PromptRequest.Builder builder = switch (i % 4) {
      case 0 -> prompt(id, Task.MATH, "Tom has " + (10 + i) + " apples. Then Tom buys 3 more. How many?");
      case 1 -> prompt(id, Task.CODE, "Write add(a, b) returning the sum. assert add(1, 2) == 3");
      case 2 -> prompt(id, Task.FUNCTION_CALL, "What is the weather in Paris in celsius?").setFunctions(FUNCTIONS);
      default -> prompt(id, Task.GENERAL, "Describe a cat in one sentence.");
    };
    if (i % 5 == 4) {
      builder.setText(null).setMessages(List.of(new ChatMessage("system", "Answer briefly."),
          new ChatMessage("user", "Name a color.")));
    }
    if (i % 5 == 1) {
      builder.setSampling(SamplingParams.newBuilder().setSeed(1000L + i).build());
    }
    return builder.build();
  }

  private static PromptRequest.Builder prompt(String id, Task task, String text) {
    return PromptRequest.newBuilder().setRequestId(id).setTask(task).setText(text).setCreatedAt(Instant.now());
  }

  private static void send(LrConfig config, EventSerdes serdes, List<PromptRequest> prompts) {
    try (
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("t"))) {
      for (PromptRequest prompt : prompts) {
        producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), key(prompt.getRequestId()), bytes(serdes, prompt)));
      }
    }
  }

  private static Map<String, List<Candidate>> readGroups(LrConfig config, EventSerdes serdes, String prefix,
      int count, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.CANDIDATES.name(),
        r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix), count, timeout);
    Map<String, List<Candidate>> groups = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Candidate c = serdes.of(Candidate.class).deserializer().deserialize(record.topic(), record.value());
      assertEquals(c.getRequestId(), new String(record.key(), StandardCharsets.UTF_8), "keyed by request id");
      groups.computeIfAbsent(c.getRequestId(), k -> new ArrayList<>()).add(c);
    }
    return groups;
  }

  /** Nothing beyond {@code expected} committed candidates shows up in a few more seconds. */
  private static void assertNoMoreCandidates(LrConfig config, String prefix, int expected) {
    int seen = TestTopics.readFromStart(config, Topics.CANDIDATES.name(),
        r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix), expected + 1, Duration.ofSeconds(3))
        .size();
    assertEquals(expected, seen, "committed candidates");
  }

  private static int readUncommitted(LrConfig config, String prefix, int atLeast, Duration timeout) {
    Map<String, Object> props = new KafkaClientProperties(config).consumer("uncommitted-" + UUID.randomUUID(), "t");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.CANDIDATES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (count < atLeast && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix)) {
            count++;
          }
        }
      }
    }
    return count;
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(EventSerdes serdes, PromptRequest prompt) {
    return serdes.of(Topics.PROMPTS).serializer().serialize(Topics.PROMPTS.name(), prompt);
  }
}
