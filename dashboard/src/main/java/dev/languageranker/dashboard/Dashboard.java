package dev.languageranker.dashboard;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
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

  private final Admin admin;
  private final LagMonitor monitor;
  private final PipelineReader reader;
  private final PipelineRecords records = new PipelineRecords();
  private final LagHistory history;
  private final DashboardServer server;
  private final ScheduledExecutorService ticker;
  private final long windowMillis;
  private volatile LagSnapshot latest;
  private volatile String error;

  private Dashboard(LrConfig config, Path historyFile, String host, int port) {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    Duration interval = config.get(Settings.DASHBOARD_INTERVAL);
    Duration window = config.get(Settings.DASHBOARD_WINDOW);
    this.windowMillis = window.toMillis();
    Map<String, Object> adminProps = clients.admin();
    adminProps.putIfAbsent("client.id", "lr-dashboard-admin");
    this.admin = Admin.create(adminProps);
    this.monitor = new LagMonitor(admin, new KafkaConsumer<>(consumer(clients, "lr-dashboard-timestamps", false)),
        new LagEvaluator(window), Clock.systemUTC(), config.get(Settings.DASHBOARD_CLUSTER_NAME),
        Duration.ofSeconds(10), Topics.ALL.stream().map(Topic::name).toList(), group -> true);
    this.reader = new PipelineReader(new KafkaConsumer<>(consumer(clients, "lr-dashboard-reader", true)),
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

  /**
   * A consumer without a group: the dashboard only observes, commits nothing, and is not itself a lagging group.
   * The timestamp reader reads uncommitted records too: an open transaction's first record is already waiting.
   */
  private static Map<String, Object> consumer(KafkaClientProperties clients, String clientId, boolean committedOnly) {
    Map<String, Object> props = clients.consumer("unused", clientId);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
    if (!committedOnly) {
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
      props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
    }
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

  public String url() {
    return "http://" + hostForUrl() + ":" + server.port() + "/";
  }

  private static String hostForUrl() {
    return "localhost";
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
    return DashboardState.render(latest, history.points(), records.view(), windowMillis, error).toString();
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
    admin.close(Duration.ofSeconds(2));
    history.close();
  }
}
