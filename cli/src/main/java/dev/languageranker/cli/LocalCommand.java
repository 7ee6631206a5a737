package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.dashboard.Dashboard;
import dev.languageranker.dashboard.DashboardState;
import dev.languageranker.dashboard.GroupLag;
import dev.languageranker.dashboard.LagSnapshot;
import dev.languageranker.dashboard.PipelineGraph;
import dev.languageranker.dashboard.PipelineRecords;
import dev.languageranker.dashboard.ReleaseInfo;
import dev.languageranker.dashboard.RunInfo;
import dev.languageranker.dashboard.TopicLag;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The whole stack in one JVM: broker, topics, services, demo traffic and the dashboard. */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = {"Runs the whole pipeline in one JVM: the embedded KRaft broker (data in --data-dir, so a restart",
        "resumes), the topic catalogue, generator (demo model), ranker, labeler and trainer, demo traffic (math and",
        "function-call problems with their references) and the dashboard. Prints progress; Ctrl-C stops cleanly.",
        "With --bootstrap-servers it runs against an external Kafka instead of starting one."})
final class LocalCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = ".language-ranker",
      description = "Broker data, stream state and dashboard history (default: ${DEFAULT-VALUE}).") Path dataDir;

  @Option(names = "--rate", defaultValue = "1",
      description = "Demo prompts per second (default: ${DEFAULT-VALUE}).") double rate;

  @Option(names = "--no-demo-traffic",
      description = "Send no demo prompts (ask and produce still work).") boolean noDemoTraffic;

  @Option(names = "--dashboard-port",
      description = "Dashboard port (default: dashboard.port, 8080; 0: a free one).") Integer dashboardPort;

  @Option(names = "--dashboard-bind",
      description = "Dashboard address (default: dashboard.bind, 127.0.0.1).") String dashboardBind;

  @Option(names = "--broker-port",
      description = "Embedded broker port (default: embedded.port, 9092; 0: a free one).") Integer brokerPort;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      description = "Use this Kafka instead of the embedded broker (kafka.* settings for SASL/TLS).") String bootstrapServers;

  @Option(names = "--schema-registry", paramLabel = "URL",
      description = "Confluent-compatible Schema Registry.") String schemaRegistry;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Base model directory (default: models/demo).") Path model;

  @Option(names = "--services", split = ",", paramLabel = "NAME,...",
      description = "Services to run (default: all of generator, ranker, labeler, trainer).") List<String> services;

  @Option(names = "--progress", defaultValue = "10s", converter = DurationConverter.class,
      description = "How often to print progress (default: ${DEFAULT-VALUE}).") Duration progressInterval;

  /** New labeled requests per retrain in local (the trainer's own default is 200). */
  static final int DEMO_RETRAIN_REQUESTS = 100;
  /** Demo prompts may wait for the generator; beyond this the demo holds back, so an ask answers in seconds. */
  static final long MAX_DEMO_BACKLOG = 1;

  private final List<AutoCloseable> running = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    List<String> chosen = chosenServices();
    if (rate <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be above 0 prompts/s");
    }
    PrintWriter out = spec.commandLine().getOut();
    LrConfig config = configOptions.load().with(overrides());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("stopping: demo traffic, services, dashboard, broker...");
      out.flush();
      stopAll();
      out.println("stopped; the next start resumes from " + dataDir.toAbsolutePath());
      out.flush();
      stopped.countDown();
    }, "local-stop"));

    EmbeddedKafka broker = null;
    if (bootstrapServers == null) {
      LocalBroker.Started local = LocalBroker.start(config, dataDir.resolve("kafka"),
          brokerPort != null ? brokerPort : config.get(Settings.EMBEDDED_PORT));
      broker = local.broker();
      running.add(broker);
      config = local.config();
      out.printf("kafka      %s (embedded KRaft broker, data %s, started in %d ms)%n", broker.bootstrapServers(),
          broker.dataDir().toAbsolutePath(), broker.startupMillis());
    } else {
      LocalBroker.ensureTopics(config);
      out.printf("kafka      %s (external)%n", bootstrapServers);
    }
    out.flush();

    Dashboard dashboard = Dashboard.start(config, dataDir.resolve("dashboard-history.jsonl"));
    running.add(0, dashboard); // stopped before the broker it reads
    out.printf("dashboard  %s  (Prometheus: %smetrics)%n", dashboard.url(), dashboard.url());
    out.flush();

    for (String name : StackServices.names()) {
      if (!chosen.contains(name)) {
        continue;
      }
      if (!StackServices.available(name)) {
        out.printf("%-10s not available in this build%n", name);
        continue;
      }
      long t0 = System.nanoTime();
      ServiceMetrics metrics = new ServiceMetrics(name);
      RunningService service = StackServices.starter(name).apply(config, metrics);
      running.add(0, () -> {
        service.close();
        metrics.close();
      });
      out.printf("%-10s started in %d ms%n", name, (System.nanoTime() - t0) / 1_000_000);
      out.flush();
    }

    DemoTraffic traffic = null;
    if (!noDemoTraffic) {
      PipelineClient client = new PipelineClient(config, Duration.ofSeconds(30));
      traffic = new DemoTraffic(client, rate, System.nanoTime(), () -> generatorBacklog(dashboard), MAX_DEMO_BACKLOG);
      running.add(0, client);
      running.add(0, traffic); // stopped first, and flushed, so no demo prompt is half sent
      out.printf("traffic    up to %.2f demo prompts/s (math and function calls, with references; held back while "
          + "more than %d prompts wait for the generator)%n", rate, MAX_DEMO_BACKLOG);
    }
    out.printf("ready in %.1f s. Ask: bin/language-ranker ask %s\"Tom has 5 apples. Then Tom buys 3 more. How many "
        + "apples does Tom have now?\"%n", (System.nanoTime() - started) / 1e9,
        broker == null ? "--bootstrap-servers " + bootstrapServers + " " : brokerArgument(broker));
    out.flush();
    progress(out, dashboard, traffic, started, stopped);
    return 0;
  }

  /** Prompts waiting for the generator, as the dashboard last saw them. */
  private static long generatorBacklog(Dashboard dashboard) {
    LagSnapshot snapshot = dashboard.latest();
    TopicLag edge = snapshot == null ? null : snapshot.edge(PipelineGraph.GENERATOR, "lr.prompts");
    return edge == null ? 0 : edge.sumLag();
  }

  private static String brokerArgument(EmbeddedKafka broker) {
    return broker.port() == 9092 ? "" : "--bootstrap-servers " + broker.bootstrapServers() + " ";
  }

  private List<String> chosenServices() {
    List<String> all = new ArrayList<>();
    StackServices.names().forEach(all::add);
    if (services == null) {
      return all;
    }
    for (String name : services) {
      if (!StackServices.known(name)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown service '" + name + "' in --services (known: " + String.join(", ", all) + ")");
      }
    }
    return services;
  }

  private Map<String, String> overrides() {
    Map<String, String> o = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      o.put(Settings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    }
    if (schemaRegistry != null) {
      o.put(Settings.SCHEMA_REGISTRY_URL.key(), schemaRegistry);
    }
    if (model != null) {
      o.put(Settings.GENERATOR_MODEL_DIR.key(), model.toString());
    }
    LrConfig base = configOptions.load();
    if (model == null && "default".equals(base.sourceOf(Settings.GENERATOR_MAX_NEW_TOKENS))) {
      // The demo model's context is 256 tokens: prompts of up to ~100 tokens leave room for 128 new ones.
      o.put(Settings.GENERATOR_MAX_NEW_TOKENS.key(), Integer.toString(DemoTraffic.MAX_NEW_TOKENS));
    }
    if (dashboardPort != null) {
      o.put(Settings.DASHBOARD_PORT.key(), dashboardPort.toString());
    }
    if (dashboardBind != null) {
      o.put(Settings.DASHBOARD_BIND.key(), dashboardBind);
    }
    // Stream state next to the broker's data, so a restart resumes with it; an explicit setting wins.
    if ("default".equals(base.sourceOf(Settings.STREAMS_STATE_DIR))) {
      o.put(Settings.STREAMS_STATE_DIR.key(), dataDir.resolve("streams").toAbsolutePath().toString());
    }
    if ("default".equals(base.sourceOf(Settings.TRAINER_DATA_DIR))) {
      o.put(Settings.TRAINER_DATA_DIR.key(), dataDir.resolve("trainer").toAbsolutePath().toString());
    }
    if ("default".equals(base.sourceOf(Settings.TRAINER_RETRAIN_MIN_NEW_REQUESTS))) {
      // The demo retrains sooner than a production default, so the loop closes within minutes of a fresh start.
      o.put(Settings.TRAINER_RETRAIN_MIN_NEW_REQUESTS.key(), Integer.toString(DEMO_RETRAIN_REQUESTS));
    }
    if ("default".equals(base.sourceOf(Settings.GENERATOR_INSTANCE_ID))) {
      o.put(Settings.GENERATOR_INSTANCE_ID.key(), "local"); // a restart fences its own predecessor at once
    }
    // One metrics endpoint per process would collide between services; local's /metrics is the dashboard's.
    if ("default".equals(base.sourceOf(Settings.METRICS_PORT))) {
      o.put(Settings.METRICS_PORT.key(), "-1");
    }
    return o;
  }

  /** Prints answers, versions, accuracy and lag every --progress until stopped. */
  private void progress(PrintWriter out, Dashboard dashboard, DemoTraffic traffic, long started,
      CountDownLatch stopped) throws InterruptedException {
    long firstAnswerAt = -1;
    long lastAnswers = 0;
    int runsShown = 0;
    int releasesShown = 0;
    while (!stopped.await(firstAnswerAt < 0 ? 1000 : progressInterval.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS)) {
      PipelineRecords.View view = dashboard.records();
      if (firstAnswerAt < 0) {
        if (view.answers() == 0) {
          continue;
        }
        firstAnswerAt = System.nanoTime();
        out.printf("first answer %.1f s after start%n", (firstAnswerAt - started) / 1e9);
      }
      // Each training run and release once, as it happens: the loop closing, or the gate's refusal with its numbers.
      for (; runsShown < view.runs().size(); runsShown++) {
        RunInfo run = view.runs().get(runsShown);
        out.printf(Locale.ROOT, "training run for %s: v%d %s after %.1f s on %d + %d held-out requests: %s%n",
            run.rankerId(), run.candidateVersion(), run.decision(), run.durationMs() / 1000.0, run.trainGroups(),
            run.holdoutGroups(), run.reason());
      }
      for (; releasesShown < view.releases().size(); releasesShown++) {
        ReleaseInfo release = view.releases().get(releasesShown);
        out.printf("%s%n", release.retired() ? release.rankerId() + " retired"
            : "released " + release.rankerId() + " v" + release.version()
                + (release.rollbackOf() != null ? " (rollback of v" + release.rollbackOf() + ")" : "")
                + "; ranker services swap it in");
      }
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%4.0fs] prompts %d, answers %d (+%d)",
          (System.nanoTime() - started) / 1e9, traffic == null ? 0 : traffic.sent(), view.answers(),
          view.answers() - lastAnswers));
      lastAnswers = view.answers();
      Map<String, Long> active = new TreeMap<>();
      for (ReleaseInfo r : view.releases()) {
        active.put(r.rankerId(), r.version());
      }
      line.append(active.isEmpty() ? ", rankers: fallback" : ", rankers: ");
      active.forEach((id, v) -> line.append(id).append(v < 0 ? " retired " : " v" + v + " "));
      DashboardState.accuracies(view).forEach((id, acc) -> line.append(String.format(Locale.ROOT,
          ", %s served %.2f (first %.2f, majority %.2f)", id, acc.get("served"), acc.get("first_sample"),
          acc.get("majority_vote"))));
      LagSnapshot snapshot = dashboard.latest();
      if (snapshot != null) {
        line.append(" | lag");
        for (GroupLag g : snapshot.groups()) {
          line.append(String.format(Locale.ROOT, " %s %d/%.1fs %s", g.group().replace("lr-", ""), g.sumLag(),
              g.maxLagSeconds(), g.status()));
        }
      }
      out.println(line);
      out.flush();
    }
  }

  private synchronized void stopAll() {
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception e) {
        spec.commandLine().getErr().println("while stopping: " + e);
      }
    }
    running.clear();
  }
}
