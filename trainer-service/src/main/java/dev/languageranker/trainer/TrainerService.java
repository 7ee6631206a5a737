package dev.languageranker.trainer;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.DeadLetterPublisher;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.HealthCheck;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import dev.languageranker.platform.service.ServiceLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the trainer: the re-keying Streams app, the champion reader, the training store and the consumer loop that
 * owns rankerIds, the run pool, producers for releases, audits and dead letters, and metrics.
 */
public final class TrainerService implements RunningService {
  public static final String NAME = "trainer";
  /** Consumer group of the trainer loop: each partition of the by-ranker topic, so each rankerId, has one owner. */
  public static final String GROUP_ID = "lr-trainer";
  /** Streams application id of the re-keying step. */
  public static final String REKEY_APPLICATION_ID = "lr-trainer-rekey";
  private static final Logger log = LoggerFactory.getLogger(TrainerService.class);

  private final KafkaStreams rekey;
  private final ChampionReader champions;
  private final TrainerLoop loop;
  private final Thread loopThread;
  private final ExecutorService runs;
  private final KafkaProducer<byte[], byte[]> producer;

  private TrainerService(KafkaStreams rekey, ChampionReader champions, TrainerLoop loop, Thread loopThread,
      ExecutorService runs, KafkaProducer<byte[], byte[]> producer) {
    this.rekey = rekey;
    this.champions = champions;
    this.loop = loop;
    this.loopThread = loopThread;
    this.runs = runs;
    this.producer = producer;
  }

  /** Starts a trainer instance against the configured cluster. */
  public static TrainerService start(LrConfig config, ServiceMetrics metrics) {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    EventSerdes serdes = new EventSerdes(config);
    RankerHyperparameters defaults = RankerHyperparameters.defaults(config);
    Map<String, RankerHyperparameters> overrides = RankerHyperparameters
        .overrides(config.get(Settings.TRAINER_OVERRIDES), defaults);
    GateSettings gate = new GateSettings(config.get(Settings.TRAINER_GATE_MIN_IMPROVEMENT),
        config.get(Settings.TRAINER_GATE_CONFIDENCE), config.get(Settings.TRAINER_GATE_MIN_HOLDOUT_REQUESTS),
        config.get(Settings.TRAINER_GATE_RESAMPLES));
    double holdoutFraction = config.get(Settings.TRAINER_HOLDOUT_FRACTION);
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new dev.languageranker.platform.config.ConfigException(
          "trainer.holdout.fraction must be in (0, 1), got " + holdoutFraction);
    }
    TrainingStore store;
    try {
      store = new TrainingStore(config.get(Settings.TRAINER_DATA_DIR), config.get(Settings.TRAINER_SHARD_REQUESTS),
          config.get(Settings.TRAINER_WINDOW_REQUESTS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the training store in " + config.get(Settings.TRAINER_DATA_DIR), e);
    }

    // Start PyTorch now (seconds on a cold JVM) rather than inside the first run, where it would delay a release.
    log.info("trainer runs on {} {}", ai.djl.engine.Engine.getInstance().getEngineName(),
        ai.djl.engine.Engine.getInstance().getVersion());
    String instance = UUID.randomUUID().toString().substring(0, 8);
    ChampionReader champions = new ChampionReader(clients, serdes.of(RankerRelease.class).deserializer(),
        "trainer-champions-" + instance);
    champions.start();
    try {
      if (!champions.awaitCaughtUp(config.get(Settings.RANKER_MODELS_CATCHUP))) {
        log.warn("lr.ranker-models not read to its end within {}", config.get(Settings.RANKER_MODELS_CATCHUP));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }

    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("trainer-" + instance));
    metrics.bind(producer);
    var releaseSerializer = serdes.of(RankerRelease.class).serializer();
    var runSerializer = serdes.of(TrainingRun.class).serializer();
    RunSink sink = new RunSink() {
      @Override
      public void publish(RankerRelease release) throws Exception {
        producer.send(new ProducerRecord<>(Topics.RANKER_MODELS.name(), key(release.getRankerId()),
            releaseSerializer.serialize(Topics.RANKER_MODELS.name(), release))).get(60, TimeUnit.SECONDS);
      }

      @Override
      public void audit(TrainingRun run) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TRAINING_RUNS.name(), key(run.getRankerId()),
            runSerializer.serialize(Topics.TRAINING_RUNS.name(), run))).get(60, TimeUnit.SECONDS);
      }
    };
    TrainerMetrics trainerMetrics = new TrainerMetrics(metrics.registry(), champions::head);
    TrainingRunner runner = new TrainingRunner(champions, sink, trainerMetrics, gate, holdoutFraction,
        id -> overrides.getOrDefault(id, defaults), Topics.TRAINING_EXAMPLES_BY_RANKER.name());
    AtomicInteger runThreads = new AtomicInteger();
    ExecutorService runs = Executors.newFixedThreadPool(config.get(Settings.TRAINER_MAX_PARALLEL_RUNS), r -> {
      Thread t = new Thread(r, "trainer-run-" + runThreads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer(GROUP_ID, "trainer-" + instance));
    metrics.bind(consumer);
    DeadLetterPublisher deadLetters = new DeadLetterPublisher(NAME, producer, serdes.of(DeadLetter.class).serializer(),
        metrics.registry());
    TrainerLoop loop = new TrainerLoop(consumer, serdes.of(TrainingExample.class).deserializer(), deadLetters, producer,
        store, runner, runs, trainerMetrics,
        new TrainerLoop.Settings(config.get(Settings.TRAINER_RETRAIN_MIN_NEW_REQUESTS),
            config.get(Settings.TRAINER_RETRAIN_INTERVAL), config.get(Settings.TRAINER_RETRY_BACKOFF),
            config.get(Settings.TRAINER_SHARD_REQUESTS)));
    Thread loopThread = new Thread(loop, "trainer-loop-" + instance);
    loopThread.start();

    Properties props = new Properties();
    props.putAll(clients.streams(REKEY_APPLICATION_ID, NAME));
    KafkaStreams rekey = new KafkaStreams(ExampleRekeyTopology.build(serdes), props);
    metrics.bind(rekey);
    rekey.setUncaughtExceptionHandler(e -> {
      log.error("trainer re-keying thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    rekey.start();
    return new TrainerService(rekey, champions, loop, loopThread, runs, producer);
  }

  private static byte[] key(String rankerId) {
    return rankerId.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public HealthCheck.Status health() {
    KafkaStreams.State state = rekey.state();
    String detail = "re-keying " + state + ", loop " + (loopThread.isAlive() ? "running" : "stopped");
    return state.isRunningOrRebalancing() && loopThread.isAlive() ? HealthCheck.Status.up(detail)
        : HealthCheck.Status.down(detail);
  }

  @Override
  public void close() {
    rekey.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    loop.stop();
    try {
      // The loop finishes its runs before it leaves the group (so the next owner never trains alongside).
      loopThread.join(TrainerLoop.HANDOVER_TIMEOUT.plusSeconds(30).toMillis());
      TrainerLoop.drain(runs, Duration.ofMinutes(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    champions.close();
    producer.close(Duration.ofSeconds(10));
  }

  public static void main(String[] args) throws InterruptedException {
    ServiceLauncher.runUntilStopped(NAME, LrConfig.fromEnvironment(null, Map.of()), TrainerService::start);
  }
}
