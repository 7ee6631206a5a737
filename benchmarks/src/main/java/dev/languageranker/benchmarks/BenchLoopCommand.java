package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.JsonLine;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.FinishReason;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.TopicBootstrapper;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.TorchThreads;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranking.RankerService;
import dev.languageranker.ranking.TaskAnswerKeys;
import dev.languageranker.trainer.SyntheticTrainingExamples;
import dev.languageranker.trainer.TrainerService;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The closed loop's latency: an MBPP-sized set of labeled examples (synthetic features with a planted signal) is
 * streamed through lr.training-examples to a running trainer while a running ranker service answers steady traffic
 * with the fallback; the clock starts when the example that triggers the retrain is sent and stops at the first
 * answer ranked by the new version.
 */
@Command(name = "loop", mixinStandardHelpOptions = true,
    description = "Time from the labeled example that triggers a retrain to the first answer ranked by the new version.")
public final class BenchLoopCommand implements Callable<Integer> {
  private static final String RANKER_ID = "bench-loop";
  private static final int LAYER = 19;
  private static final int TRAFFIC_VECTORS = 64;

  /**
   * The bench's training configuration unless --trainer-defaults: what the trainer trained by default before it took
   * ranker-core's convergent defaults (one epoch of one group per request, rate 0.01, batch 256, raw hidden states, no
   * side features, no validation split). It finds the planted signal in 12 steps, so the bench times the loop rather
   * than a long training; on the same data the defaults (the product's ranker) ran 297 steps.
   */
  static final Map<String, String> BENCH_TRAINING = Map.of(
      Settings.TRAINER_GROUPS_PER_PROMPT.key(), "1", // each request has exactly K candidates: one distinct group
      Settings.TRAINER_LEARNING_RATE.key(), "0.01",
      Settings.TRAINER_WEIGHT_DECAY.key(), "1e-4",
      Settings.TRAINER_BATCH_SIZE.key(), "256",
      Settings.TRAINER_SIDE_FEATURES.key(), "none",
      Settings.TRAINER_STANDARDIZE.key(), "false",
      Settings.TRAINER_VALIDATION_FRACTION.key(), "0");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--requests", defaultValue = "3740",
      description = "Labeled requests (MBPP-sized: 3,740 x K=10 = 37,400 candidates). Default: ${DEFAULT-VALUE}.") int requests;

  @Option(names = "--k", defaultValue = "10", description = "Candidates per request. Default: ${DEFAULT-VALUE}.") int k;

  @Option(names = "--dim", defaultValue = "4096",
      description = "Feature dimension. Default: ${DEFAULT-VALUE}.") int dim;

  @Option(names = "--rate", defaultValue = "20",
      description = "Steady traffic to the ranker, requests/s. Default: ${DEFAULT-VALUE}.") int rate;

  @Option(names = "--shard-requests", defaultValue = "1000",
      description = "trainer.shard.requests. Default: ${DEFAULT-VALUE}.") int shardRequests;

  @Option(names = "--epochs", defaultValue = "1", description = "trainer.epochs of the bench's configuration (ignored "
      + "with --trainer-defaults). Default: ${DEFAULT-VALUE}.") int epochs;

  @Option(names = "--trainer-defaults",
      description = "Train the product's default ranker (trainer.* defaults: listwise "
          + "with every side feature, standardized features, early stopping) instead of the bench's one-epoch configuration.") boolean trainerDefaults;

  @Option(names = {"-s", "--set"}, description = "A setting for this run (repeatable), applied last, e.g. "
      + "--set trainer.learning.rate=0.003.") Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--seed", defaultValue = "1", description = "Data seed. Default: ${DEFAULT-VALUE}.") long seed;

  @Override
  public Integer call() throws Exception {
    if (requests < 20 || k < 2 || dim < 2 || rate < 1 || shardRequests < 1 || epochs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "need --requests >= 20, --k >= 2, --dim >= 2 and positive --rate, --shard-requests, --epochs");
    }
    try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
      Map<String, String> settings = new HashMap<>();
      settings.put(Settings.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
      settings.put(Settings.STREAMS_STATE_DIR.key(), Files.createTempDirectory("lr-bench-loop-streams").toString());
      settings.put(Settings.TRAINER_DATA_DIR.key(), Files.createTempDirectory("lr-bench-loop-trainer").toString());
      settings.put(Settings.METRICS_PORT.key(), "-1");
      settings.put(Settings.TRAINER_RETRAIN_MIN_NEW_REQUESTS.key(), String.valueOf(requests));
      settings.put(Settings.TRAINER_SHARD_REQUESTS.key(), String.valueOf(shardRequests));
      settings.put(Settings.TRAINER_GROUP_SIZE.key(), String.valueOf(k));
      if (!trainerDefaults) {
        settings.putAll(BENCH_TRAINING);
        settings.put(Settings.TRAINER_EPOCHS.key(), String.valueOf(epochs));
      }
      settings.putAll(overrides);
      LrConfig config = LrConfig.builder().overrides(settings).build();
      TorchThreads.apply(config);
      KafkaClientProperties clients = new KafkaClientProperties(config);
      try (Admin admin = Admin.create(clients.admin())) {
        new TopicBootstrapper(admin, config, Duration.ofSeconds(30)).ensure(Topics.ALL);
      }
      EventSerdes serdes = new EventSerdes(config);
      Map<String, Object> out = new LinkedHashMap<>();
      try (ServiceMetrics rankerMetrics = new ServiceMetrics("ranker");
          ServiceMetrics trainerMetrics = new ServiceMetrics("trainer");
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("bench-loop"))) {
        RankerService ranker = RankerService.start(config, rankerMetrics, new TaskAnswerKeys());
        TrainerService trainer = TrainerService.start(config, trainerMetrics);
        Traffic traffic = new Traffic(clients, serdes);
        Thread trafficThread = new Thread(traffic, "bench-loop-traffic");
        try {
          trafficThread.start();
          List<TrainingExample> held = new ArrayList<>();
          SyntheticFeatures features = new SyntheticFeatures(requests, k, dim, LAYER,
              dev.languageranker.ranker.features.FeatureDtype.BFLOAT16, 2.0f, false, seed);
          AtomicInteger produced = new AtomicInteger();
          features.generate(p -> {
            TrainingExample e = SyntheticTrainingExamples.of(RANKER_ID, features, p, false);
            if (produced.incrementAndGet() == requests) {
              held.add(e); // the trigger
            } else {
              send(producer, serdes, e);
            }
          });
          producer.flush();
          System.err.printf("bench loop: %d examples sent; waiting for the trainer to store them%n", requests - 1);
          awaitStored(trainerMetrics, requests - 1, Duration.ofMinutes(10));

          long triggerNanos = System.nanoTime();
          long triggerWall = System.currentTimeMillis();
          send(producer, serdes, held.get(0));
          producer.flush();
          TrainingRun run = awaitRun(clients, serdes, Duration.ofMinutes(5));
          boolean published = run.getDecision().name().equals("PUBLISHED");
          // A refused challenger never serves: then there is no swap to time, and the gate's numbers say why.
          double total = published ? (traffic.awaitFirstVersion(Duration.ofMinutes(2)) - triggerNanos) / 1e9
              : Double.NaN;
          RankerRelease release = published ? release(clients, serdes) : null;
          double swap = release == null ? Double.NaN
              : (traffic.firstVersionWallMillis() - release.getPublishedAt().toEpochMilli()) / 1e3;
          traffic.stop();
          trafficThread.join(10_000);
          Traffic.Count count = traffic.awaitAllAnswered(Duration.ofMinutes(1));

          out.put("bench", "loop");
          out.put("requests", requests);
          out.put("candidates", (long) requests * k);
          out.put("dim", dim);
          out.put("intake_s", JsonLine.round((run.getStartedAt().toEpochMilli() - triggerWall) / 1e3, 3));
          out.put("load_s", JsonLine.round(run.getLoadMs() / 1e3, 3));
          out.put("train_s", JsonLine.round(run.getTrainMs() / 1e3, 3));
          out.put("evaluate_s", JsonLine.round(run.getEvaluateMs() / 1e3, 3));
          out.put("publish_s", JsonLine.round(run.getPublishMs() / 1e3, 3));
          out.put("swap_s", finiteOrNull(swap));
          out.put("total_s", finiteOrNull(total));
          out.put("peak_rss_mb", JsonLine.round(run.getPeakRssMb(), 1));
          out.put("decision", run.getDecision().name());
          out.put("gate", run.getGate() == null ? null : Map.of(
              "challenger", JsonLine.round(run.getGate().getChallengerValue(), 4),
              "champion",
              run.getGate().getChampionStrategy() + " " + JsonLine.round(run.getGate().getChampionValue(), 4),
              "difference", JsonLine.round(run.getGate().getDifference(), 4),
              "ci95", List.of(JsonLine.round(run.getGate().getLower(), 4), JsonLine.round(run.getGate().getUpper(), 4)),
              "n", run.getGate().getN()));
          out.put("train_requests", run.getTrainGroups());
          out.put("steps", run.getSteps());
          out.put("training", trainerDefaults ? "trainer defaults" : "bench (one epoch, no side features)");
          if (!overrides.isEmpty()) {
            out.put("settings", overrides);
          }
          out.put("traffic_requests", count.sent());
          out.put("traffic_answered", count.answered());
          out.put("traffic_answered_twice", count.duplicates());
          out.put("cores", MachineLoad.cores());
          out.put("load_avg_1m", JsonLine.round(MachineLoad.loadAverage(), 2));
        } finally {
          traffic.stop();
          trainer.close();
          ranker.close();
        }
      }
      spec.commandLine().getOut().println(JsonLine.of(out));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /** Rounded to milliseconds; null (JSON null) when there is nothing to time. */
  private static Double finiteOrNull(double seconds) {
    return Double.isFinite(seconds) ? JsonLine.round(seconds, 3) : null;
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, EventSerdes serdes, TrainingExample e) {
    producer
        .send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), e.getRequestId().getBytes(StandardCharsets.UTF_8),
            serdes.of(TrainingExample.class).serializer().serialize(Topics.TRAINING_EXAMPLES.name(), e)));
  }

  private static void awaitStored(ServiceMetrics metrics, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Counter stored = metrics.registry().find("lr.trainer.examples").tag("outcome", "stored").counter();
      if (stored != null && stored.count() >= count) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the trainer stored " + (stored == null ? 0 : (long) stored.count()) + " of "
            + count + " examples within " + timeout);
      }
      Thread.sleep(20);
    }
  }

  private static TrainingRun awaitRun(KafkaClientProperties clients, EventSerdes serdes, Duration timeout) {
    return readFirst(clients, Topics.TRAINING_RUNS.name(), timeout, v -> serdes.of(TrainingRun.class).deserializer()
        .deserialize(Topics.TRAINING_RUNS.name(), v));
  }

  private static RankerRelease release(KafkaClientProperties clients, EventSerdes serdes) {
    return readFirst(clients, Topics.RANKER_MODELS.name(), Duration.ofSeconds(30), v -> serdes.of(RankerRelease.class)
        .deserializer().deserialize(Topics.RANKER_MODELS.name(), v));
  }

  private static <T> T readFirst(KafkaClientProperties clients, String topic, Duration timeout,
      java.util.function.Function<byte[], T> decode) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        clients.consumer("bench-loop-" + topic, "bench-loop"))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          return decode.apply(r.value());
        }
      }
    }
    throw new IllegalStateException("nothing on " + topic + " within " + timeout);
  }

  /** Steady candidate traffic for the ranker, and what came back: the first answer of a version, losses, duplicates. */
  private final class Traffic implements Runnable {
    private final KafkaClientProperties clients;
    private final EventSerdes serdes;
    private final ByteBuffer[] vectors = new ByteBuffer[TRAFFIC_VECTORS];
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final KafkaConsumer<byte[], byte[]> answerReader;
    private volatile long firstVersionNanos;
    private volatile long firstVersionWall;

    record Count(int sent, int answered, int duplicates) {}

    Traffic(KafkaClientProperties clients, EventSerdes serdes) {
      this.clients = clients;
      this.serdes = serdes;
      SplittableRandom random = new SplittableRandom(seed + 1);
      for (int v = 0; v < TRAFFIC_VECTORS; v++) {
        ByteBuffer b = ByteBuffer.allocate(dim * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dim; i++) {
          b.putShort((short) (Float.floatToRawIntBits((float) random.nextGaussian()) >>> 16));
        }
        vectors[v] = b.flip();
      }
      answerReader = new KafkaConsumer<>(clients.consumer("bench-loop-answers", "bench-loop-answers"));
      List<TopicPartition> partitions = answerReader.partitionsFor(Topics.ANSWERS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      answerReader.assign(partitions);
      answerReader.seekToBeginning(partitions);
    }

    /** Sends at the steady rate and reads answers as they come, on this one thread, so the first answer of a new
     * version is seen when it becomes readable, not when the bench gets round to looking. */
    @Override
    public void run() {
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("bench-loop-traffic"))) {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        while (running.get()) {
          if (System.nanoTime() >= next) {
            sendGroup(producer, "traffic-" + sent.getAndIncrement());
            next += interval;
          }
          readAnswers(Duration.ofMillis(2));
        }
      }
    }

    private void readAnswers(Duration wait) {
      for (ConsumerRecord<byte[], byte[]> r : answerReader.poll(wait)) {
        RankedAnswer a = serdes.of(RankedAnswer.class).deserializer().deserialize(r.topic(), r.value());
        answers.merge(a.getRequestId(), 1, Integer::sum);
        if (firstVersionNanos == 0 && a.getRankerVersion() != null && a.getRankerVersion() == 1L) {
          firstVersionWall = System.currentTimeMillis();
          firstVersionNanos = System.nanoTime();
        }
      }
    }

    private void sendGroup(KafkaProducer<byte[], byte[]> producer, String rid) {
      for (int i = 0; i < k; i++) {
        Candidate c = Candidate.newBuilder()
            .setRequestId(rid).setTask(Task.GENERAL).setRankerId(RANKER_ID).setRankerVersion(null).setIndex(i).setK(k)
            .setText("candidate " + i).setTokenCount(100).setLogProbSum(-50 - i).setLogProbMean(-0.5 - i / 100.0)
            .setFinishReason(FinishReason.EOS)
            .setFeatures(
                Features.newBuilder().setLayer(LAYER).setNumLayers(32).setDim(dim).setDtype(FeatureDtype.BFLOAT16)
                    .setInstruction(vectors[Math.floorMod(rid.hashCode(), TRAFFIC_VECTORS)].duplicate())
                    .setResponse(vectors[Math.floorMod(rid.hashCode() + 31 * i, TRAFFIC_VECTORS)].duplicate()).build())
            .setBaseModelId(SyntheticTrainingExamples.BASE_MODEL_ID).setPromptCreatedAt(Instant.now())
            .setGeneratedAt(Instant.now()).setMetadata(Map.of())
            .build();
        producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), rid.getBytes(StandardCharsets.UTF_8),
            serdes.of(Candidate.class).serializer().serialize(Topics.CANDIDATES.name(), c)));
      }
      producer.flush();
    }

    /** Waits until the traffic thread has read an answer ranked by version 1; returns when it was read. */
    long awaitFirstVersion(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (firstVersionNanos == 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no answer ranked by version 1 within " + timeout);
        }
        Thread.sleep(1);
      }
      return firstVersionNanos;
    }

    long firstVersionWallMillis() {
      return firstVersionWall;
    }

    void stop() {
      running.set(false);
    }

    /** After the traffic thread ended: reads answers until every request sent has one (or time runs out). */
    Count awaitAllAnswered(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (answers.size() < sent.get() && System.nanoTime() < deadline) {
        readAnswers(Duration.ofMillis(100));
      }
      answerReader.close();
      int duplicates = (int) answers.values().stream().filter(n -> n > 1).count();
      return new Count(sent.get(), answers.size(), duplicates);
    }
  }
}
