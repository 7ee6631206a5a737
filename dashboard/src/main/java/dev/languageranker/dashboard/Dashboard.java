package dev.languageranker.dashboard;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.service.ServiceLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard of a cluster: samples lag every {@code dashboard.interval}, reads the pipeline's records, keeps
 * the history, and serves the page, {@code /api/state} and {@code /metrics}. Works against any cluster; {@code local}
 * runs one beside its services with its history in the data directory.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  private final LagMonitor monitor;
  private final PipelineReader reader;
  private final PipelineRecords records = new PipelineRecords();
  private final LagHistory history;
  private final DashboardServer server;
  private final ScheduledExecutorService ticker;
  private final long windowMillis;
  private final DashboardState.RetrainTrigger trigger;
  private volatile LagSnapshot latest;
  private volatile String error;

  private Dashboard(LrConfig config, Path historyFile, String host, int port) {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    Duration interval = config.get(Settings.DASHBOARD_INTERVAL);
    Duration window = config.get(Settings.DASHBOARD_WINDOW);
    this.windowMillis = window.toMillis();
    this.trigger = new DashboardState.RetrainTrigger(config.get(Settings.TRAINER_RETRAIN_MIN_NEW_REQUESTS),
        config.get(Settings.TRAINER_RETRAIN_INTERVAL).toMillis());
    this.monitor = LagMonitor.open(config, window, Duration.ofSeconds(10));
    this.reader = new PipelineReader(new KafkaConsumer<>(readerConsumer(clients)),
        new EventSerdes(config), records, config.get(Settings.DASHBOARD_HISTORY));
    this.history = new LagHistory(config.get(Settings.DASHBOARD_HISTORY).toMillis(), historyFile,
        System.currentTimeMillis());
    this.server = new DashboardServer(host, port, this::stateJson, this::metrics, () -> error == null);
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dashboard-lag");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a dashboard on {@code dashboard.bind}:{@code dashboard.port}.
   *
   * @param historyFile where the lag history survives restarts, or null
   */
  public static Dashboard start(LrConfig config, Path historyFile) {
    return new Dashboard(config, historyFile, config.get(Settings.DASHBOARD_BIND), config.get(Settings.DASHBOARD_PORT));
  }

  /** A consumer without a group: the dashboard only observes, commits nothing, and is not itself a lagging group. */
  private static Map<String, Object> readerConsumer(KafkaClientProperties clients) {
    Map<String, Object> props = clients.consumer("unused", "lr-dashboard-reader");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return props;
  }

  private void tick() {
    try {
      LagSnapshot snapshot = monitor.poll();
      history.add(snapshot);
      latest = snapshot;
      error = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      String message = e.getCause() != null ? e.getCause().toString() : e.toString();
      if (error == null) {
        log.warn("dashboard cannot read the cluster: {}", message);
      }
      error = "cannot read the cluster: " + message;
    }
  }

  /** The page's address on this machine. */
  public String url() {
    return "http://localhost:" + server.port() + "/";
  }

  public int port() {
    return server.port();
  }

  /** The latest evaluation, or null before the first. */
  public LagSnapshot latest() {
    return latest;
  }

  /** What the dashboard read from the pipeline's records so far. */
  public PipelineRecords.View records() {
    return records.view();
  }

  public String stateJson() {
    return DashboardState.render(latest, history.points(), records.view(), windowMillis, trigger, error).toString();
  }

  public String metrics() {
    LagSnapshot snapshot = latest;
    if (snapshot == null) {
      return "";
    }
    PipelineRecords.View view = records.view();
    return LagExporterMetrics.render(snapshot, DashboardState.accuracies(view),
        DashboardState.latencyQuantiles(view, System.currentTimeMillis()));
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    reader.close();
    monitor.close();
    history.close();
  }

  /**
   * Serves a dashboard as its own process (the container image's entry point) on dashboard.bind:dashboard.port;
   * settings from LR_ variables. No history file: a restart starts the history afresh.
   */
  public static void main(String[] args) throws InterruptedException {
    Dashboard dashboard = start(LrConfig.fromEnvironment(null, Map.of()), null);
    log.info("dashboard serving its page, /metrics and /health on port {}", dashboard.port());
    ServiceLauncher.untilStopped("dashboard", dashboard::close);
  }
}
