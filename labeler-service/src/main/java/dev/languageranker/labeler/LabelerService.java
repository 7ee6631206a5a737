package dev.languageranker.labeler;

import dev.languageranker.labeler.verify.CodeVerifier;
import dev.languageranker.labeler.verify.MathAnswerVerifier;
import dev.languageranker.labeler.verify.PythonSandbox;
import dev.languageranker.labeler.verify.SandboxSettings;
import dev.languageranker.labeler.verify.TaskVerifiers;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.metrics.HealthCheck;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import dev.languageranker.platform.service.ServiceLauncher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the labeler: verifiers and their worker pool, the Streams topology, metrics and lifecycle. */
public final class LabelerService implements RunningService {
  public static final String NAME = "labeler";
  /** Streams application id, and so the consumer group every labeler instance joins. */
  public static final String APPLICATION_ID = "lr-labeler";
  private static final Logger log = LoggerFactory.getLogger(LabelerService.class);

  private final KafkaStreams streams;
  private final VerificationPool pool;

  private LabelerService(KafkaStreams streams, VerificationPool pool) {
    this.streams = streams;
    this.pool = pool;
  }

  /** Starts a labeler instance against the configured cluster. */
  public static LabelerService start(LrConfig config, ServiceMetrics metrics) {
    SandboxSettings sandbox = SandboxSettings.defaults()
        .withWallTimeout(config.get(Settings.LABELER_SANDBOX_TIMEOUT))
        .withConcurrency(config.get(Settings.LABELER_SANDBOX_CONCURRENCY));
    PythonSandbox python = PythonSandbox.probed(sandbox);
    log.info("code sandbox: not enforced on this machine: {}", python.capabilities().notEnforced());
    MathAnswerVerifier math = new MathAnswerVerifier(config.get(Settings.LABELER_MATH_RELATIVE_TOLERANCE),
        config.get(Settings.LABELER_MATH_TIME_LIMIT), config.get(Settings.LABELER_MATH_ROUNDED_DECIMALS));
    ReferenceVerifiers verifiers = new ReferenceVerifiers(new TaskVerifiers(math, () -> new CodeVerifier(python)),
        Clock.systemUTC());
    VerificationPool pool = new VerificationPool(config.get(Settings.LABELER_WORKERS),
        config.get(Settings.LABELER_MAX_IN_FLIGHT));
    LabelerTopology.Timing timing = new LabelerTopology.Timing(config.get(Settings.LABELER_GROUP_TIMEOUT),
        config.get(Settings.LABELER_PENDING_TIMEOUT), config.get(Settings.LABELER_DONE_RETENTION),
        Duration.ofMillis(100));
    var topology = LabelerTopology.build(new EventSerdes(config), verifiers, pool,
        new LabelerMetrics(metrics.registry()), timing, NAME);
    Properties props = new Properties();
    props.putAll(new KafkaClientProperties(config).streams(APPLICATION_ID, NAME));
    KafkaStreams streams = new KafkaStreams(topology, props);
    metrics.bind(streams);
    streams.setUncaughtExceptionHandler(e -> {
      log.error("labeler stream thread failed; replacing it", e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    return new LabelerService(streams, pool);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public HealthCheck.Status health() {
    KafkaStreams.State state = streams.state();
    return state.isRunningOrRebalancing() ? HealthCheck.Status.up(state.name()) : HealthCheck.Status.down(state.name());
  }

  @Override
  public void close() {
    // Leave the group on the way out: its partitions move to the other instances (or to this one's restart) at once
    // instead of after the session timeout.
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    pool.close();
  }

  /** Runs a labeler as its own process (the container image's entry point); settings from LR_ variables. */
  public static void main(String[] args) throws InterruptedException {
    ServiceLauncher.runUntilStopped(NAME, LrConfig.fromEnvironment(null, Map.of()), LabelerService::start);
  }
}
