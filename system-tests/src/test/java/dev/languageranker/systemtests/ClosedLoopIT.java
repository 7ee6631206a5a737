package dev.languageranker.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.ChatMessage;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.FinishReason;
import dev.languageranker.events.GateReport;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Reference;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.StrategyMetric;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingDecision;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.generator.GeneratorService;
import dev.languageranker.demo.DemoProblem;
import dev.languageranker.demo.DemoProblemSource;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.labeler.LabelerService;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranking.RankerService;
import dev.languageranker.ranking.TaskAnswerKeys;
import dev.languageranker.trainer.SyntheticTrainingExamples;
import dev.languageranker.trainer.TrainerService;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continual loop on the embedded broker: labeled outcomes become a ranker version only when it beats what serves
 * now on held-out requests, and the ranker service swaps it in without losing or repeating an answer.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ClosedLoopIT {
  private static final Logger log = LoggerFactory.getLogger(ClosedLoopIT.class);
  private static final Path DEMO = Path.of("..", "models", "demo");
  /** Demo prompts of the loop; -Dclosedloop.prompts raises it for the full-size run. */
  private static final int DEMO_PROMPTS = Integer.getInteger("closedloop.prompts", 120);
  /** Held-out requests the gate needs; half the prompts are held out. -Dclosedloop.min-holdout for the full-size run. */
  private static final int DEMO_MIN_HOLDOUT = Integer.getInteger("closedloop.min-holdout", 40);
  private static final int K = 10;

  @Test
  void aRankerWithAPlantedSignalIsPromotedAndTheRankerServiceAnswersWithVersionOneEveryRequestOnce(KafkaBroker broker)
      throws Exception {
    String rankerId = "planted-loop-" + UUID.randomUUID().toString().substring(0, 8);
    SyntheticFeatures features = SyntheticFeatures.of(300, K, 64, 5);
    // The trainer's own epochs (early stopping), not a fixed 3: with side features, 3 epochs left the hidden-state part
    // of the ranker half trained, 0.35-0.53 held out against 0.63-0.80 with the defaults (bench train, same data
    // shape, seeds 1-6), so the gate's decision on the planted signal was a coin toss in about one run of five.
    LrConfig config = config(broker,
        Map.of("trainer.retrain.min-new-requests", "300", "trainer.holdout.fraction", "0.3",
            "trainer.gate.min-holdout-requests", "50"));
    EventSerdes serdes = new EventSerdes(config);
    List<String> sent = new ArrayList<>();
    try (ServiceMetrics rankerMetrics = new ServiceMetrics("ranker");
        ServiceMetrics trainerMetrics = new ServiceMetrics("trainer");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            new KafkaClientProperties(config).producer("loop"))) {
      RankerService ranker = RankerService.start(config, rankerMetrics, new TaskAnswerKeys());
      TrainerService trainer = TrainerService.start(config, trainerMetrics);
      try {
        // Before any version: answered by the fallback.
        for (int i = 0; i < 20; i++) {
          sent.add(sendGroup(producer, serdes, rankerId, features, "before-" + i));
        }
        producer.flush();
        // The training data goes out only once those are answered: on a quiet machine the trainer can publish v1
        // within a second, before the ranker's consumer group has even been assigned the before-requests.
        TestTopics.readFromStart(config, Topics.ANSWERS.name(),
            r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(rankerId + "-before-"), 20,
            Duration.ofSeconds(120));
        for (TrainingExample e : SyntheticTrainingExamples.of(rankerId, features, false)) {
          send(producer, serdes, Topics.TRAINING_EXAMPLES.name(), e.getRequestId(), e);
        }
        producer.flush();
        // Traffic keeps flowing across the swap.
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int i = 0;
        while (ranker.registry().active(rankerId).isEmpty() && System.nanoTime() < deadline) {
          sent.add(sendGroup(producer, serdes, rankerId, features, "during-" + i++));
          Thread.sleep(100);
        }
        TrainingRun run = runOf(config, serdes, rankerId);
        GateReport gate = run.getGate();
        log.info("planted-signal loop: {} ({})", run.getReason(), run.getStrategies());
        assertEquals(TrainingDecision.PUBLISHED, run.getDecision(), run.getReason());
        assertGateConsistent(gate);
        assertEquals(1L, ranker.registry().active(rankerId).orElseThrow().version(),
            "the ranker service swapped in v1");
        for (int j = 0; j < 20; j++) {
          sent.add(sendGroup(producer, serdes, rankerId, features, "after-" + j));
        }
        producer.flush();

        Map<String, List<RankedAnswer>> answers = answers(config, serdes, rankerId, sent.size());
        assertEquals(sent.size(), answers.size(), "every request answered");
        answers.forEach((id, list) -> assertEquals(1, list.size(), id + " answered once"));
        for (String id : sent) {
          RankedAnswer a = answers.get(id).get(0);
          if (id.contains("before-")) {
            assertNull(a.getRankerVersion(), id);
            assertEquals(Strategy.MEAN_LOG_PROB, a.getStrategy(), id);
          } else if (id.contains("after-")) {
            assertEquals(1L, a.getRankerVersion(), id);
            assertEquals(Strategy.LISTWISE_RANKER, a.getStrategy(), id);
          }
        }
      } finally {
        trainer.close();
        ranker.close();
      }
    }
  }

  @Test
  void theDemoModelLoopReleasesAVersionOnlyWhenTheGateSaysItBeatsTheFallbackAndAnswersEveryRequestOnce(
      KafkaBroker broker)
      throws Exception {
    assumeTrue(Files.exists(DEMO.resolve("config.json")), "models/demo is missing");
    String rankerId = "demo-loop-" + UUID.randomUUID().toString().substring(0, 8);
    LrConfig config = config(broker, Map.of(
        "generator.model.dir", DEMO.toString(), "generator.instance.id", rankerId, "generator.k.default",
        String.valueOf(K),
        "generator.max.new.tokens", "96",
        "trainer.retrain.min-new-requests", String.valueOf(DEMO_PROMPTS), "trainer.holdout.fraction", "0.5",
        "trainer.gate.min-holdout-requests", String.valueOf(DEMO_MIN_HOLDOUT),
        "labeler.group.timeout", "30s"));
    EventSerdes serdes = new EventSerdes(config);
    DemoProblemSource problems = new DemoProblemSource();
    Random random = new Random(2026);
    List<String> sent = new ArrayList<>();
    try (ServiceMetrics metrics = new ServiceMetrics("loop");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            new KafkaClientProperties(config).producer("loop"))) {
      GeneratorService generator = GeneratorService.start(config, metrics);
      LabelerService labeler = LabelerService.start(config, metrics);
      RankerService ranker = RankerService.start(config, metrics, new TaskAnswerKeys());
      TrainerService trainer = TrainerService.start(config, metrics);
      try {
        for (int i = 0; i < DEMO_PROMPTS; i++) {
          sent.add(sendDemoPrompt(producer, serdes, rankerId, problems.nextTrain(DemoTask.MATH, random), i));
        }
        producer.flush();
        TrainingRun run = runOf(config, serdes, rankerId);
        GateReport gate = run.getGate();
        log.info("demo loop, {} prompts: {}; strategies {}", DEMO_PROMPTS, run.getReason(), run.getStrategies());
        assertNotNull(gate, run.getReason());
        assertGateConsistent(gate);
        assertEquals("majority_vote", gate.getChampionStrategy(), "math falls back to the majority vote");
        StrategyMetric vote = run.getStrategies().stream().filter(s -> s.getStrategy().equals("majority_vote"))
            .findFirst().orElseThrow();
        assertEquals(vote.getValue(), gate.getChampionValue(), 1e-9, "the champion's numbers are the majority vote's");
        boolean released = run.getDecision() == TrainingDecision.PUBLISHED;
        if (released) {
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (ranker.registry().active(rankerId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
          }
          assertEquals(1L, ranker.registry().active(rankerId).orElseThrow().version());
        }
        // Later answers name what serves now: version 1 if released, the fallback if not.
        for (int i = DEMO_PROMPTS; i < DEMO_PROMPTS + 10; i++) {
          sent.add(sendDemoPrompt(producer, serdes, rankerId, problems.nextTrain(DemoTask.MATH, random), i));
        }
        producer.flush();
        Map<String, List<RankedAnswer>> answers = answers(config, serdes, rankerId, sent.size());
        assertEquals(sent.size(), answers.size(), "every request answered");
        answers.forEach((id, list) -> assertEquals(1, list.size(), id + " answered once"));
        for (String id : sent.subList(DEMO_PROMPTS, sent.size())) {
          RankedAnswer a = answers.get(id).get(0);
          assertEquals(released ? Long.valueOf(1L) : null, a.getRankerVersion(), id);
        }
        if (!released) {
          assertEquals(List.of(), TestTopics.readFromStart(config, Topics.RANKER_MODELS.name(),
              r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(1)),
              "nothing released");
        }
      } finally {
        trainer.close();
        ranker.close();
        labeler.close();
        generator.close();
      }
    }
  }

  /** What the gate decided follows from the numbers it computed. */
  private static void assertGateConsistent(GateReport gate) {
    boolean shouldPass = Double.isFinite(gate.getLower()) && gate.getLower() > gate.getMinImprovement()
        && gate.getN() >= gate.getMinHoldoutRequests();
    assertEquals(shouldPass, gate.getPassed(), gate.toString());
    assertEquals(gate.getChallengerValue() - gate.getChampionValue(), gate.getDifference(), 1e-9);
    assertTrue(gate.getLower() <= gate.getDifference() && gate.getDifference() <= gate.getUpper(), gate.toString());
  }

  private static LrConfig config(KafkaBroker broker, Map<String, String> extra) throws Exception {
    Path temp = Files.createTempDirectory("loop");
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("streams.state.dir", temp.resolve("streams").toString());
    settings.put("trainer.data.dir", temp.resolve("trainer").toString());
    settings.put("metrics.port", "-1");
    LrConfig config = broker.config(settings);
    TestTopics.ensureCatalogue(config);
    return config;
  }

  private static String sendDemoPrompt(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes, String rankerId,
      DemoProblem problem, int i) {
    String id = rankerId + "-" + i;
    PromptRequest prompt = PromptRequest.newBuilder().setRequestId(id).setTask(Task.MATH)
        .setMessages(problem.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList())
        .setRankerId(rankerId).setK(K)
        .setSampling(SamplingParams.newBuilder().setTemperature(1.0).setSeed(1000L + i).build())
        .setCreatedAt(Instant.now()).build();
    send(producer, serdes, Topics.REFERENCES.name(), id, Reference.newBuilder().setRequestId(id).setTask(Task.MATH)
        .setAnswer(problem.reference()).setCreatedAt(Instant.now()).build());
    send(producer, serdes, Topics.PROMPTS.name(), id, prompt);
    return id;
  }

  /** A group of K candidates with synthetic features, as a generator of the synthetic base model would send. */
  private static String sendGroup(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes, String rankerId,
      SyntheticFeatures features, String suffix) {
    String id = rankerId + "-" + suffix;
    int bytes = features.dim() * 2;
    Random random = new Random(id.hashCode());
    for (int i = 0; i < K; i++) {
      Candidate c = Candidate.newBuilder().setRequestId(id).setTask(Task.GENERAL).setRankerId(rankerId)
          .setRankerVersion(null)
          .setIndex(i).setK(K).setText("candidate " + i).setTokenCount(20).setLogProbSum(-10 - i)
          .setLogProbMean(-0.5 - i / 100.0)
          .setFinishReason(FinishReason.EOS)
          .setFeatures(Features.newBuilder().setLayer(features.layer()).setNumLayers(0).setDim(features.dim())
              .setDtype(FeatureDtype.BFLOAT16).setInstruction(ByteBuffer.wrap(bf16(random, features.dim())))
              .setResponse(ByteBuffer.wrap(bf16(random, features.dim()))).build())
          .setBaseModelId(SyntheticTrainingExamples.BASE_MODEL_ID).setPromptCreatedAt(Instant.now())
          .setGeneratedAt(Instant.now()).setMetadata(Map.of()).build();
      send(producer, serdes, Topics.CANDIDATES.name(), id, c);
    }
    return id;
  }

  private static byte[] bf16(Random random, int dim) {
    ByteBuffer b = ByteBuffer.allocate(dim * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < dim; i++) {
      b.putShort((short) (Float.floatToRawIntBits((float) random.nextGaussian()) >>> 16));
    }
    return b.array();
  }

  @SuppressWarnings("unchecked")
  private static <V extends SpecificRecord> void send(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes,
      String topic,
      String key, V value) {
    byte[] bytes = serdes.of((Class<V>) value.getClass()).serializer().serialize(topic, value);
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), bytes));
  }

  private static TrainingRun runOf(LrConfig config, EventSerdes serdes, String rankerId) {
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.TRAINING_RUNS.name(),
        r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), 1,
        Duration.ofSeconds(120 + 2L * DEMO_PROMPTS));
    assertEquals(1, records.size(), "a training run of " + rankerId);
    return serdes.of(TrainingRun.class).deserializer().deserialize(Topics.TRAINING_RUNS.name(), records.get(0).value());
  }

  /** Every answer of the ranker's requests, by request id; waits for {@code expected}, then a little for extras. */
  private static Map<String, List<RankedAnswer>> answers(LrConfig config, EventSerdes serdes, String rankerId,
      int expected)
      throws InterruptedException {
    String prefix = rankerId + "-";
    TestTopics.readFromStart(config, Topics.ANSWERS.name(),
        r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(prefix), expected, Duration.ofSeconds(120));
    Thread.sleep(1500); // a duplicate would arrive now
    Map<String, List<RankedAnswer>> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : TestTopics.readFromStart(config, Topics.ANSWERS.name(),
        x -> new String(x.key(), StandardCharsets.UTF_8).startsWith(prefix), expected + 1, Duration.ofSeconds(5))) {
      RankedAnswer a = serdes.of(RankedAnswer.class).deserializer().deserialize(r.topic(), r.value());
      out.computeIfAbsent(a.getRequestId(), k -> new ArrayList<>()).add(a);
    }
    return out;
  }
}
