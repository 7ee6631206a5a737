package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.GateReport;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.StrategyMetric;
import dev.languageranker.events.TrainingDecision;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranker.bundle.Sha256;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import dev.languageranker.ranker.train.TrainingResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The trainer as deployed on a real broker: examples in, a gated release with lineage and an audited run out. */
@ExtendWith(KafkaBrokerExtension.class)
class TrainerServiceIT {
  private static final int DIM = 64;
  private static final int PROMPTS = 300;

  @Test
  void promotesARankerWithAPlantedSignalOverTheFallbackWithLineageAndKeepsItsSetExactAcrossARestart(KafkaBroker broker)
      throws Exception {
    String rankerId = "planted-" + UUID.randomUUID().toString().substring(0, 8);
    Path data = Files.createTempDirectory("trainer");
    LrConfig config = trainerConfig(broker, data);
    EventSerdes serdes = new EventSerdes(config);
    List<TrainingExample> examples = SyntheticTrainingExamples.of(rankerId, SyntheticFeatures.of(PROMPTS, 10, DIM, 7),
        false);

    try (ServiceMetrics metrics = new ServiceMetrics("trainer")) {
      TrainerService trainer = TrainerService.start(config, metrics);
      try {
        produce(config, serdes, examples);
        TrainingRun run = runs(config, serdes, rankerId, 1).get(0);
        GateReport gate = run.getGate();

        assertEquals(TrainingDecision.PUBLISHED, run.getDecision(), run.getReason());
        assertTrue(gate.getLower() > gate.getMinImprovement(), "promoted only above the threshold: " + gate);
        assertTrue(gate.getN() >= gate.getMinHoldoutRequests());
        assertEquals(run.getHoldoutGroups(), gate.getN());
        assertEquals(PROMPTS, run.getTrainGroups() + run.getHoldoutGroups(),
            "every request trained on or held out, once");
        assertEquals(strategy(run, "challenger").getValue() - strategy(run, "champion").getValue(),
            gate.getDifference(), 1e-9);
        assertTrue(strategy(run, "oracle").getValue() >= strategy(run, "challenger").getValue());

        RankerRelease release = release(config, serdes, rankerId);
        assertEquals(1L, release.getVersion());
        assertEquals(null, release.getLineage().getParentVersion(), "the champion was the fallback");
        assertEquals(gate, release.getLineage().getGate());
        assertEquals(PROMPTS, release.getLineage().getTrainingRequests());
        // One partition holds the ranker; its range spans the 300 examples (and the re-keying's transaction markers).
        var offsets = release.getLineage().getTrainingOffsets();
        assertEquals(1, offsets.size(), offsets.toString());
        assertEquals(Topics.TRAINING_EXAMPLES_BY_RANKER.name(), offsets.get(0).getTopic());
        assertTrue(offsets.get(0).getToOffset() - offsets.get(0).getFromOffset() + 1 >= PROMPTS, offsets.toString());
        assertTrue(metrics.scrape().contains("lr_trainer_runs_total{decision=\"PUBLISHED\""),
            "runs counted by decision");
      } finally {
        trainer.close();
      }

      // A restart reads nothing twice: the same set, and a mismatched example goes to dead letters.
      TrainerService restarted = TrainerService.start(config, metrics);
      try {
        TrainingExample wrongDim = SyntheticTrainingExamples
            .of(rankerId, SyntheticFeatures.of(1, 10, DIM / 2, 8), false).get(0);
        produce(config, serdes, List.of(wrongDim));
        DeadLetter letter = deadLetter(config, serdes, wrongDim.getRequestId());
        assertTrue(letter.getReason().contains("dim " + DIM / 2), letter.getReason());
      } finally {
        restarted.close();
      }
      TrainingStore store = new TrainingStore(data.resolve("store"), 1000, 20_000);
      RankerTrainingSet set = store.get(rankerId).orElseThrow();
      assertEquals(PROMPTS, set.storedRequests(), "no example counted twice or lost across the restart");
      assertEquals(0, set.requestsSinceRun());
    }
  }

  @Test
  void refusesAChallengerWithoutSignalAndSaysWhyWithTheNumbers(KafkaBroker broker) throws Exception {
    String rankerId = "noise-" + UUID.randomUUID().toString().substring(0, 8);
    LrConfig config = trainerConfig(broker, Files.createTempDirectory("trainer"));
    EventSerdes serdes = new EventSerdes(config);
    List<TrainingExample> examples = SyntheticTrainingExamples.of(rankerId,
        SyntheticFeatures.of(PROMPTS, 10, DIM, 11).withShuffledLabels(), true);

    try (ServiceMetrics metrics = new ServiceMetrics("trainer")) {
      TrainerService trainer = TrainerService.start(config, metrics);
      try {
        produce(config, serdes, examples);
        TrainingRun run = runs(config, serdes, rankerId, 1).get(0);
        GateReport gate = run.getGate();

        assertEquals(TrainingDecision.REJECTED, run.getDecision(), run.getReason());
        assertFalse(gate.getPassed());
        assertFalse(gate.getLower() > gate.getMinImprovement(), gate.toString());
        assertEquals("majority_vote", gate.getChampionStrategy());
        assertTrue(run.getReason().contains("kept the champion"), run.getReason());
        assertEquals(List.of(), TestTopics.readFromStart(config, Topics.RANKER_MODELS.name(),
            r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(2)),
            "nothing released");
      } finally {
        trainer.close();
      }
    }
  }

  @Test
  void retrainsWhenTheIntervalPassedWithFewerNewRequestsThanTheCountTrigger(KafkaBroker broker) throws Exception {
    String rankerId = "interval-" + UUID.randomUUID().toString().substring(0, 8);
    LrConfig config = trainerConfig(broker, Files.createTempDirectory("trainer"))
        .with(Map.of("trainer.retrain.min-new-requests", "100000", "trainer.retrain.interval", "5s"));
    EventSerdes serdes = new EventSerdes(config);
    try (ServiceMetrics metrics = new ServiceMetrics("trainer")) {
      TrainerService trainer = TrainerService.start(config, metrics);
      try {
        produce(config, serdes, SyntheticTrainingExamples.of(rankerId, SyntheticFeatures.of(60, 10, DIM, 17), false));
        TrainingRun run = runs(config, serdes, rankerId, 1).get(0);

        assertEquals(60, run.getWindowRequests(), "one run on what had arrived, long before 100,000 new requests");
        assertEquals(TrainingDecision.REJECTED, run.getDecision(), "too few held out to promote: " + run.getReason());
        assertTrue(run.getReason().contains("fewer than the 50 required"), run.getReason());
      } finally {
        trainer.close();
      }
    }
  }

  @Test
  void aRunThatThrowsIsAuditedCountedAndRetriedLaterWhileTheChampionStaysTheHead(KafkaBroker broker) throws Exception {
    String rankerId = "broken-" + UUID.randomUUID().toString().substring(0, 8);
    LrConfig config = trainerConfig(broker, Files.createTempDirectory("trainer"))
        .with(Map.of("trainer.retry.backoff", "1s"));
    EventSerdes serdes = new EventSerdes(config);
    // The head reads another dim than the examples: no paired comparison is possible, so every run fails.
    RankerRelease head = release(rankerId, 7, DIM / 2);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        new KafkaClientProperties(config).producer("test"))) {
      producer.send(new ProducerRecord<>(Topics.RANKER_MODELS.name(), rankerId.getBytes(StandardCharsets.UTF_8),
          serdes.of(RankerRelease.class).serializer().serialize(Topics.RANKER_MODELS.name(), head))).get();
    }
    try (ServiceMetrics metrics = new ServiceMetrics("trainer")) {
      TrainerService trainer = TrainerService.start(config, metrics);
      try {
        produce(config, serdes,
            SyntheticTrainingExamples.of(rankerId, SyntheticFeatures.of(PROMPTS, 10, DIM, 13), false));
        List<TrainingRun> failed = runs(config, serdes, rankerId, 2);

        for (TrainingRun run : failed) {
          assertEquals(TrainingDecision.FAILED, run.getDecision());
          assertEquals(7L, run.getChampionVersion());
          assertTrue(run.getError().contains("no paired comparison"), run.getError());
        }
        assertTrue(
            metrics.scrape().contains("lr_trainer_runs_total{decision=\"FAILED\",ranker_id=\"" + rankerId + "\""),
            "failed runs are counted");
        assertEquals(1, TestTopics.readFromStart(config, Topics.RANKER_MODELS.name(),
            r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), 2, Duration.ofSeconds(2)).size(),
            "nothing but the champion on lr.ranker-models");
      } finally {
        trainer.close();
      }
    }
  }

  @Test
  void warmStartsFromAChampionOfTheSameShapeAndTrainsFreshWhenTheChampionDoesNotFit(KafkaBroker broker)
      throws Exception {
    String warm = "warm-" + UUID.randomUUID().toString().substring(0, 8);
    String misfit = "misfit-" + UUID.randomUUID().toString().substring(0, 8);
    // A rate at which training cannot move the weights: a warm-started challenger is its champion.
    LrConfig config = trainerConfig(broker, Files.createTempDirectory("trainer"))
        .with(Map.of("trainer.warm-start", "true", "trainer.learning.rate", "1e-9"));
    EventSerdes serdes = new EventSerdes(config);
    SyntheticFeatures features = SyntheticFeatures.of(PROMPTS, 10, DIM, 19);
    // The champion of "warm" is a trained ranker of the challenger's shape (listwise, every side feature); that of
    // "misfit" reads no side features.
    publish(config, serdes, trainedRelease(warm, 1, features));
    publish(config, serdes, release(misfit, 7, DIM));
    try (ServiceMetrics metrics = new ServiceMetrics("trainer")) {
      TrainerService trainer = TrainerService.start(config, metrics);
      try {
        produce(config, serdes, SyntheticTrainingExamples.of(warm, features, false));
        produce(config, serdes,
            SyntheticTrainingExamples.of(misfit, SyntheticFeatures.of(PROMPTS, 10, DIM, 23), false));
        TrainingRun warmRun = runs(config, serdes, warm, 1).get(0);
        TrainingRun misfitRun = runs(config, serdes, misfit, 1).get(0);

        assertTrue(warmRun.getWarmStart(), warmRun.getReason());
        assertTrue(warmRun.getReason().contains("warm-started from the champion's weights (version 1)"),
            warmRun.getReason());
        assertEquals(strategy(warmRun, "champion").getValue(), strategy(warmRun, "challenger").getValue(), 0.02,
            "the challenger started from, and stayed at, the champion's weights: " + warmRun.getReason());
        assertEquals(TrainingDecision.REJECTED, warmRun.getDecision(), "no better than itself");

        assertFalse(misfitRun.getWarmStart(), misfitRun.getReason());
        assertTrue(misfitRun.getReason().contains("trained fresh: the champion (version 7) does not fit the challenger")
            && misfitRun.getReason().contains("side features"), misfitRun.getReason());
        assertEquals(7L, misfitRun.getChampionVersion());
        assertTrue(misfitRun.getSteps() > 0, "a fresh run trained");
      } finally {
        trainer.close();
      }
    }
  }

  private static void publish(LrConfig config, EventSerdes serdes, RankerRelease release) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        new KafkaClientProperties(config).producer("test"))) {
      producer.send(
          new ProducerRecord<>(Topics.RANKER_MODELS.name(), release.getRankerId().getBytes(StandardCharsets.UTF_8),
              serdes.of(RankerRelease.class).serializer().serialize(Topics.RANKER_MODELS.name(), release)))
          .get();
    }
  }

  /** A release of a ranker trained on {@code features} with the trainer's default shape. */
  private static RankerRelease trainedRelease(String rankerId, long version, SyntheticFeatures features) {
    TrainingConfig training = TrainingConfig.defaults().withSideFeatures(List.of(SideFeature.values()))
        .withBatching(64, 4, 2).withHoldoutFraction(0.3);
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet set = features.build(manager);
        TrainingResult result = new RankerTrainer().train(set, training, TrainingProgressListener.NONE)) {
      byte[] bundle = ModelBundle.of(result, rankerId, version, Instant.now(), Map.of()).toBytes();
      RankerConfig shape = result.ranker().config();
      return RankerRelease.newBuilder().setRankerId(rankerId).setVersion(version)
          .setArchitecture(dev.languageranker.events.RankerArchitecture.LISTWISE)
          .setBaseModelId(SyntheticTrainingExamples.BASE_MODEL_ID)
          .setFeatureLayer(shape.featureLayer()).setFeatureDim(shape.featureDim())
          .setProjectionDim(shape.projectionDim())
          .setParameterCount(result.ranker().weights().parameterCount()).setBundle(ByteBuffer.wrap(bundle))
          .setSha256(Sha256.hex(bundle)).setCreatedAt(Instant.now()).setPublishedAt(Instant.now()).build();
    }
  }

  /** A valid, untrained release of the given dim. */
  private static RankerRelease release(String rankerId, long version, int dim) {
    RankerConfig rankerConfig = RankerConfig.defaults(RankerArchitecture.LISTWISE, dim, 1);
    try (NDManager manager = NDManager.newBaseManager();
        RankerWeights weights = RankerWeights.initialize(manager, RankerNetwork.of(rankerConfig).parameters(), 3)) {
      byte[] bundle = ModelBundle
          .of(rankerConfig, weights, rankerId, version, Map.of(), Map.of(), Map.of(), Instant.now()).toBytes();
      return RankerRelease.newBuilder().setRankerId(rankerId).setVersion(version)
          .setArchitecture(dev.languageranker.events.RankerArchitecture.LISTWISE)
          .setBaseModelId(SyntheticTrainingExamples.BASE_MODEL_ID)
          .setFeatureLayer(1).setFeatureDim(dim).setProjectionDim(rankerConfig.projectionDim())
          .setParameterCount(weights.parameterCount()).setBundle(ByteBuffer.wrap(bundle)).setSha256(Sha256.hex(bundle))
          .setCreatedAt(Instant.now()).setPublishedAt(Instant.now()).build();
    }
  }

  static LrConfig trainerConfig(KafkaBroker broker, Path data) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("streams.state.dir", data.resolve("streams").toString());
    settings.put("trainer.data.dir", data.resolve("store").toString());
    settings.put("metrics.port", "-1");
    settings.put("trainer.retrain.min-new-requests", String.valueOf(PROMPTS));
    settings.put("trainer.holdout.fraction", "0.3");
    settings.put("trainer.gate.min-holdout-requests", "50");
    settings.put("trainer.epochs", "3");
    LrConfig config = broker.config(settings);
    TestTopics.ensureCatalogue(config);
    return config;
  }

  static void produce(LrConfig config, EventSerdes serdes, List<TrainingExample> examples) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        new KafkaClientProperties(config).producer("test"))) {
      for (TrainingExample e : examples) {
        producer.send(
            new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.getRequestId().getBytes(StandardCharsets.UTF_8),
                serdes.of(TrainingExample.class).serializer().serialize(Topics.TRAINING_EXAMPLES.name(), e)));
      }
    }
  }

  static List<TrainingRun> runs(LrConfig config, EventSerdes serdes, String rankerId, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.TRAINING_RUNS.name(),
        r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), count, Duration.ofSeconds(120));
    assertEquals(count, records.size(), "training runs of " + rankerId);
    return records.stream().map(r -> serdes.of(TrainingRun.class).deserializer().deserialize(r.topic(), r.value()))
        .toList();
  }

  /** At least {@code count} runs of {@code rankerId} (all that are there once that many are). */
  static List<TrainingRun> atLeastRuns(LrConfig config, EventSerdes serdes, String rankerId, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.TRAINING_RUNS.name(),
        r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), count, Duration.ofSeconds(120));
    assertTrue(records.size() >= count, "training runs of " + rankerId + ": " + records.size() + ", expected " + count);
    return records.stream().map(r -> serdes.of(TrainingRun.class).deserializer().deserialize(r.topic(), r.value()))
        .toList();
  }

  static RankerRelease release(LrConfig config, EventSerdes serdes, String rankerId) {
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.RANKER_MODELS.name(),
        r -> rankerId.equals(new String(r.key(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(30));
    assertEquals(1, records.size());
    return serdes.of(RankerRelease.class).deserializer().deserialize(Topics.RANKER_MODELS.name(),
        records.get(0).value());
  }

  static DeadLetter deadLetter(LrConfig config, EventSerdes serdes, String requestId) {
    var deserializer = serdes.of(DeadLetter.class).deserializer();
    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readFromStart(config, Topics.DEAD_LETTERS.name(),
        r -> "trainer".equals(deserializer.deserialize(r.topic(), r.value()).getService())
            && new String(r.value(), StandardCharsets.ISO_8859_1).contains(requestId),
        1, Duration.ofSeconds(60));
    assertEquals(1, records.size(), "dead letter for " + requestId);
    return deserializer.deserialize(Topics.DEAD_LETTERS.name(), records.get(0).value());
  }

  private static StrategyMetric strategy(TrainingRun run, String name) {
    StrategyMetric m = run.getStrategies().stream().filter(s -> s.getStrategy().equals(name)).findFirst().orElse(null);
    assertNotNull(m, name + " in " + run.getStrategies());
    return m;
  }
}
