package dev.languageranker.ranking;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.HealthCheck;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import dev.languageranker.platform.service.ServiceLauncher;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the ranker: the model watcher and registry, the grouping topology, metrics and lifecycle. */
public final class RankerService implements RunningService {
  public static final String NAME = "ranker";
  /** Streams application id, and so the consumer group every ranker instance joins. */
  public static final String APPLICATION_ID = "lr-ranker";
  private static final Logger log = LoggerFactory.getLogger(RankerService.class);

  private final KafkaStreams streams;
  private final ExecutorService scorer;
  private final ModelWatcher watcher;
  private final RankerRegistry registry;

  private RankerService(KafkaStreams streams, ExecutorService scorer, ModelWatcher watcher, RankerRegistry registry) {
    this.streams = streams;
    this.scorer = scorer;
    this.watcher = watcher;
    this.registry = registry;
  }

  /**
   * Starts a ranker instance: reads the ranker versions first (up to ranker.models.catchup.timeout), so the first
   * requests are ranked by the current versions rather than the fallback, then starts the topology.
   */
  public static RankerService start(LrConfig config, ServiceMetrics metrics, AnswerKeys answerKeys) {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    EventSerdes serdes = new EventSerdes(config);
    RankerRegistry registry = new RankerRegistry();
    RankerMetrics rankerMetrics = new RankerMetrics(metrics.registry(), registry);
    ModelWatcher watcher = new ModelWatcher(clients, serdes.of(RankerRelease.class).deserializer(), registry,
        rankerMetrics, "ranker-models-" + UUID.randomUUID());
    watcher.start();
    try {
      if (!watcher.awaitCaughtUp(config.get(Settings.RANKER_MODELS_CATCHUP))) {
        log.warn("lr.ranker-models not read to its end within {}; starting with {}",
            config.get(Settings.RANKER_MODELS_CATCHUP), registry.snapshot().keySet());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    AnswerSelector selector = new AnswerSelector(registry, new FallbackSelector(answerKeys), answerKeys, rankerMetrics);
    RankerTopology.Settings settings = new RankerTopology.Settings(config.get(Settings.RANKER_GROUP_TIMEOUT),
        config.get(Settings.RANKER_DONE_RETENTION), config.get(Settings.RANKER_BATCH_SIZE),
        config.get(Settings.RANKER_BATCH_WAIT), Duration.ofMillis(5));
    Properties props = new Properties();
    props.putAll(clients.streams(APPLICATION_ID, NAME));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get(Settings.RANKER_STREAM_THREADS));
    // A stream thread with nothing to read waits in poll; answers of a batch scored meanwhile are emitted when it
    // returns, so it must return soon (Streams' default is 100 ms).
    props.put(StreamsConfig.POLL_MS_CONFIG, 5L);
    // Each task reads one partition of one topic, so there is no cross-partition order to wait for; -1 also skips
    // Streams' per-record check of partitions with nothing buffered (which formats log strings eagerly).
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    // Scoring runs beside the stream threads: they keep reading and grouping while a batch is scored.
    AtomicInteger scorers = new AtomicInteger();
    ExecutorService scorer = Executors.newFixedThreadPool(config.get(Settings.RANKER_SCORER_THREADS), runnable -> {
      Thread t = new Thread(runnable, "ranker-scorer-" + scorers.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    KafkaStreams streams = new KafkaStreams(RankerTopology.build(serdes, selector, scorer,
        () -> new KafkaCandidateLog(Topics.CANDIDATES.name(),
            clients.consumer(APPLICATION_ID + "-read-back", APPLICATION_ID + "-read-back"), Duration.ofMinutes(1)),
        rankerMetrics, settings, NAME), props);
    metrics.bind(streams);
    streams.setUncaughtExceptionHandler(e -> {
      log.error("ranker stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    return new RankerService(streams, scorer, watcher, registry);
  }

  public RankerRegistry registry() {
    return registry;
  }

  /** Stops processing (the instance keeps its tasks and group membership) until {@link #resume()}. */
  public void pause() {
    streams.pause();
  }

  public void resume() {
    streams.resume();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public HealthCheck.Status health() {
    KafkaStreams.State state = streams.state();
    String detail = state + ", rankers " + registry.snapshot().keySet();
    return state.isRunningOrRebalancing() ? HealthCheck.Status.up(detail) : HealthCheck.Status.down(detail);
  }

  @Override
  public void close() {
    // Leave the group on the way out: its partitions move to the other instances (or to this one's restart) at once
    // instead of after the session timeout.
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    scorer.shutdownNow();
    watcher.close();
    registry.close();
  }

  /** Runs a ranker as its own process (the container image's entry point); settings from LR_ variables. */
  public static void main(String[] args) throws InterruptedException {
    ServiceLauncher.runUntilStopped(NAME, LrConfig.fromEnvironment(null, Map.of()),
        (config, metrics) -> start(config, metrics, new TaskAnswerKeys()));
  }
}
