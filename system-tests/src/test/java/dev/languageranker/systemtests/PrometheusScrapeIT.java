package dev.languageranker.systemtests;

import dev.languageranker.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.dashboard.Dashboard;
import dev.languageranker.events.PromptRequest;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.Reference;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.generator.GeneratorService;
import dev.languageranker.labeler.LabelerService;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.MetricsServer;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranking.RankerAdmin;
import dev.languageranker.ranking.RankerReleases;
import dev.languageranker.ranking.RankerService;
import dev.languageranker.ranking.TaskAnswerKeys;
import dev.languageranker.trainer.SyntheticTrainingExamples;
import dev.languageranker.trainer.TrainerService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scrapes the services with the repository's scrape configuration, pointed at
 * services started here on the embedded broker; then every Grafana panel's and annotation's PromQL and every alert
 * rule's expression runs through Prometheus's HTTP API: each parses and evaluates, and each metric it names exists
 * in a scrape. The traffic sent makes every lazily registered meter appear: prompts with references (answers,
 * verifications, training examples), a malformed prompt (a dead letter), a ranker release and a tampered one (swap,
 * active version, refusal), a late candidate (a labeler drop), and synthetic training examples of a small ranker (a
 * training run with its held-out metrics).
 */
@ExtendWith(KafkaBrokerExtension.class)
class PrometheusScrapeIT {
  /**
   * Which service exposes each metric of the dashboard and the alert rules, by name prefix. The README's Deployment
   * section has the same list.
   */
  static final Map<String, String> METRIC_SOURCES = sources();
  private static final Path DASHBOARD = RepositoryFiles.path("docker/grafana/dashboards/language-ranker.json");
  private static final Path SCRAPE_CONFIG = RepositoryFiles.path("docker/prometheus/prometheus.yml");
  private static final Path ALERTS = RepositoryFiles.path("docker/prometheus/alerts.yml");
  private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(120);
  private static final int SYNTHETIC_PROMPTS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Map<String, String> sources() {
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("lr_generator_", "generator");
    sources.put("lr_ranker_", "ranker");
    sources.put("lr_labeler_", "labeler");
    sources.put("lr_dead_letters_", "generator"); // every service counts its own; here the generator's is provoked
    sources.put("lr_trainer_", "trainer");
    sources.put("kafka_consumergroup_", "dashboard");
    sources.put("kafka_partition_", "dashboard");
    sources.put("lr_served_accuracy", "dashboard");
    sources.put("lr_answer_latency_ms", "dashboard");
    return sources;
  }

  /** A service running in this test: the port of its /metrics and how to stop it. */
  private record Started(String name, int port, AutoCloseable closer) {
    void close() {
      try {
        closer.close();
      } catch (Exception e) {
        throw new IllegalStateException("stopping " + name, e);
      }
    }
  }

  @Test
  void everyPanelAndAlertQueryRunsOnARealPrometheusScrapingTheServices(KafkaBroker broker, @TempDir Path temp,
      TestReporter reporter) throws Exception {
    Optional<ExternalTool> prometheus = ExternalTool.find("prometheus");
    assumeTrue(prometheus.isPresent(), "Prometheus is not installed (Debian package prometheus): scrape test not run");
    Map<String, Set<String>> queries = queries();
    assertFalse(queries.isEmpty());

    LrConfig config = LrConfig.builder().overrides(Map.of(
        "bootstrap.servers", broker.bootstrapServers(),
        "streams.state.dir", temp.resolve("streams").toString(),
        "generator.model.dir", RepositoryFiles.path("models/demo").toString(),
        "generator.instance.id", "prometheus-" + UUID.randomUUID(),
        "ranker.models.catchup.timeout", "5s",
        "trainer.data.dir", temp.resolve("trainer").toString(),
        // A small synthetic ranker retrains once its examples are in, so the run metrics appear.
        "trainer.retrain.min-new-requests", String.valueOf(SYNTHETIC_PROMPTS),
        "trainer.holdout.fraction", "0.3",
        "trainer.gate.min-holdout-requests", "10",
        "trainer.gate.resamples", "200")).build();
    TestTopics.ensureCatalogue(config);
    List<Started> services = new ArrayList<>();
    Process server = null;
    try {
      services.add(start("generator", config, GeneratorService::start));
      services.add(start("ranker", config, (c, m) -> RankerService.start(c, m, new TaskAnswerKeys())));
      services.add(start("labeler", config, LabelerService::start));
      services.add(start("trainer", config, TrainerService::start));
      // The dashboard serves kafka-lag-exporter's metrics (and the live accuracies) on its own HTTP port.
      Dashboard dashboard = Dashboard.start(config.with(Map.of("dashboard.port", "0", "dashboard.bind", "127.0.0.1",
          "dashboard.interval", "1s")), null);
      services.add(new Started("dashboard", dashboard.port(), dashboard));
      Set<String> running = new TreeSet<>();
      services.forEach(s -> running.add(s.name()));
      Set<String> notHere = new TreeSet<>(METRIC_SOURCES.values());
      notHere.removeAll(running);
      // A service listed as not here must really be absent: once its command exists, start it above.
      Set<String> commands = Main.commandLine().getSubcommands().keySet();
      notHere.forEach(s -> assertFalse(commands.contains(s), "'" + s + "' exists now: start it in this test"));

      String run = "prom-" + UUID.randomUUID().toString().substring(0, 8);
      sendTraffic(config, run);

      int port = freePort();
      Path prometheusConfig = writeScrapeConfig(temp, services);
      server = new ProcessBuilder(prometheus.get().executable().toString(),
          "--config.file=" + prometheusConfig, "--storage.tsdb.path=" + temp.resolve("tsdb"),
          "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(temp.resolve("prometheus.log").toFile()).start();
      String api = "http://127.0.0.1:" + port;
      awaitReady(api, server, temp.resolve("prometheus.log"));

      Set<String> expected = new TreeSet<>();
      queries.values()
          .forEach(names -> names.stream().filter(n -> running.contains(sourceOf(n))).forEach(expected::add));
      Set<String> scraped = awaitMetrics(api, expected, config, run);
      // Every job of the configuration was scraped successfully (a single scrape may time out on a loaded machine).
      JsonNode targets = get(api + "/api/v1/targets").at("/data/activeTargets");
      assertEquals(services.size(), targets.size(), targets.toString());
      JsonNode up = get(api + "/api/v1/query?query=" + URLEncoder.encode("max by (job) (max_over_time(up[10m]))",
          StandardCharsets.UTF_8)).at("/data/result");
      Map<String, String> upByJob = new TreeMap<>();
      up.forEach(r -> upByJob.put(r.at("/metric/job").asText(), r.at("/value/1").asText()));
      services.forEach(s -> assertEquals("1", upByJob.get(s.name()), s.name() + " never scraped: " + targets));

      Map<String, Set<String>> notChecked = new TreeMap<>();
      for (Map.Entry<String, Set<String>> query : queries.entrySet()) {
        JsonNode result = get(api + "/api/v1/query?query=" + URLEncoder.encode(query.getKey(), StandardCharsets.UTF_8));
        assertEquals("success", result.path("status").asText(), query.getKey() + ": " + result);
        for (String name : query.getValue()) {
          if (running.contains(sourceOf(name))) {
            assertTrue(scraped.contains(name), name + " (from " + sourceOf(name) + ", in " + query.getKey()
                + ") is in no scrape");
          } else {
            notChecked.computeIfAbsent(sourceOf(name), s -> new TreeSet<>()).add(name);
          }
        }
      }
      reporter.publishEntry("queries", queries.size() + " run, " + expected.size() + " metric names found in scrapes"
          + " of " + running);
      notChecked.forEach((service, names) -> reporter.publishEntry("not on this branch: " + service,
          "queries parse; metrics not scraped: " + names));
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
      services.forEach(Started::close);
    }
  }

  @Test
  void metricNamesAreReadFromPromqlAsPrometheusWould() {
    assertEquals(Set.of("lr_a_total", "lr_b"), PromqlMetricNames.of(
        "sum by (service, le) (rate(lr_a_total{job=\"x\", a=~\"lr_c.*\"}[5m])) / on (service) group_left () lr_b > 6 * 3600"));
    assertEquals(Set.of("x_bucket"),
        PromqlMetricNames.of("histogram_quantile(0.99, sum by (le) (rate(x_bucket[1m])))"));
    assertEquals(Set.of("a", "b"), PromqlMetricNames.of("a unless on (r) b and on () (sum(a) > 1e3)"));
  }

  /** Each query of the dashboard (panels and annotations) and of the alert rules, with the metric names it selects. */
  private static Map<String, Set<String>> queries() throws IOException {
    Map<String, Set<String>> queries = new LinkedHashMap<>();
    JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
    dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> add(queries, t.path("expr").asText())));
    dashboard.at("/annotations/list").forEach(a -> {
      if (a.hasNonNull("expr")) {
        add(queries, a.path("expr").asText());
      }
    });
    RepositoryFiles.documents(ALERTS).get(0).path("groups")
        .forEach(g -> g.path("rules").forEach(r -> add(queries, r.path("expr").asText())));
    return queries;
  }

  private static void add(Map<String, Set<String>> queries, String expr) {
    Set<String> names = PromqlMetricNames.of(expr);
    assertFalse(names.isEmpty(), "no metric in " + expr);
    names.forEach(PrometheusScrapeIT::sourceOf);
    queries.put(expr, names);
  }

  private static String sourceOf(String metric) {
    return METRIC_SOURCES.entrySet().stream().filter(e -> metric.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(metric + ": which service exposes it? add it to METRIC_SOURCES"));
  }

  private static Started start(String name, LrConfig config,
      BiFunction<LrConfig, ServiceMetrics, RunningService> starter) {
    ServiceMetrics metrics = new ServiceMetrics(name);
    MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics);
    RunningService service = starter.apply(config, metrics);
    server.addCheck(name, service::health);
    return new Started(name, server.port(), () -> {
      service.close();
      server.close();
      metrics.close();
    });
  }

  /** The repository's scrape configuration, its jobs pointed at the services started here (the others removed). */
  private static Path writeScrapeConfig(Path temp, List<Started> services) throws IOException {
    ObjectNode config = (ObjectNode) RepositoryFiles.documents(SCRAPE_CONFIG).get(0);
    ((ObjectNode) config.path("global")).put("scrape_interval", "2s").put("scrape_timeout", "2s")
        .put("evaluation_interval", "2s");
    ArrayNode rules = config.putArray("rule_files");
    rules.add(ALERTS.toString());
    ArrayNode jobs = config.putArray("scrape_configs");
    RepositoryFiles.documents(SCRAPE_CONFIG).get(0).path("scrape_configs").forEach(job -> {
      services.stream().filter(s -> s.name().equals(job.path("job_name").asText())).findFirst().ifPresent(s -> {
        ObjectNode copy = job.deepCopy();
        ArrayNode targets = ((ObjectNode) copy.path("static_configs").get(0)).putArray("targets");
        targets.add("127.0.0.1:" + s.port());
        jobs.add(copy);
      });
    });
    assertEquals(services.size(), jobs.size(), "the repository's scrape configuration has a job per service");
    Path file = temp.resolve("prometheus.yml");
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config)); // JSON is YAML
    return file;
  }

  /**
   * Prompts with references, a malformed prompt, a release and a tampered release, and synthetic training examples
   * of another ranker for the trainer.
   */
  private static void sendTraffic(LrConfig config, String run) throws Exception {
    EventSerdes serdes = new EventSerdes(config);
    RankerAdmin admin = new RankerAdmin(config, Duration.ofSeconds(30));
    RankerRelease release = release();
    admin.publish(release);
    admin.publish(RankerRelease.newBuilder(release).setRankerId(run + "-tampered").setSha256("00").build());
    try (
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new KafkaClientProperties(config).producer(run))) {
      for (int i = 0; i < 3; i++) {
        String rid = run + "-" + i;
        PromptRequest prompt = PromptRequest.newBuilder().setRequestId(rid).setTask(Task.MATH)
            .setText("Tom has " + (3 + i) + " apples and buys 2 more. How many apples does he have?").setK(2)
            .setSampling(SamplingParams.newBuilder().setMaxNewTokens(12).setSeed(7L + i).build())
            .setCreatedAt(Instant.now()).build();
        Reference reference = Reference.newBuilder().setRequestId(rid).setTask(Task.MATH)
            .setAnswer(String.valueOf(5 + i)).setCreatedAt(Instant.now()).build();
        producer.send(new ProducerRecord<>(Topics.REFERENCES.name(), key(rid),
            serdes.of(Reference.class).serializer().serialize(Topics.REFERENCES.name(), reference)));
        producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), key(rid),
            serdes.of(PromptRequest.class).serializer().serialize(Topics.PROMPTS.name(), prompt)));
      }
      for (TrainingExample example : SyntheticTrainingExamples.of(run + "-synthetic",
          SyntheticFeatures.of(SYNTHETIC_PROMPTS, 4, 16, 3), false)) {
        producer.send(new ProducerRecord<>(Topics.TRAINING_EXAMPLES.name(), key(example.getRequestId()),
            serdes.of(TrainingExample.class).serializer().serialize(Topics.TRAINING_EXAMPLES.name(), example)));
      }
      producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), key(run + "-malformed"),
          "not an Avro record".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
  }

  private static RankerRelease release() {
    RankerConfig rankerConfig = RankerConfig.defaults(RankerArchitecture.LISTWISE, 16, 2);
    try (NDManager manager = NDManager.newBaseManager()) {
      RankerWeights weights = RankerWeights.initialize(manager, RankerNetwork.of(rankerConfig).parameters(), 7);
      ModelBundle bundle = ModelBundle.of(rankerConfig, weights, "prometheus-probe", 1, Map.of(), Map.of(), Map.of(),
          Instant.now());
      return RankerReleases.of(bundle, "demo", null, Instant.now());
    }
  }

  /**
   * Waits until Prometheus has scraped every expected metric name; once a training example of the run exists, sends
   * one of its candidates again, late, so the labeler drops it.
   */
  private static Set<String> awaitMetrics(String api, Set<String> expected, LrConfig config, String run)
      throws Exception {
    long deadline = System.nanoTime() + METRICS_TIMEOUT.toNanos();
    boolean lateSent = false;
    Set<String> scraped = new TreeSet<>();
    while (System.nanoTime() < deadline) {
      scraped.clear();
      get(api + "/api/v1/label/__name__/values").path("data").forEach(n -> scraped.add(n.asText()));
      if (scraped.containsAll(expected)) {
        return scraped;
      }
      if (!lateSent && !TestTopics.readFromStart(config, Topics.TRAINING_EXAMPLES.name(),
          r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(run), 1, Duration.ofMillis(500)).isEmpty()) {
        List<ConsumerRecord<byte[], byte[]>> candidates = TestTopics.readFromStart(config, Topics.CANDIDATES.name(),
            r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(run), 1, Duration.ofSeconds(10));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            new KafkaClientProperties(config).producer(run + "-late"))) {
          ConsumerRecord<byte[], byte[]> c = candidates.get(0);
          producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), c.key(), c.value())).get();
        }
        lateSent = true;
      }
      Thread.sleep(1000);
    }
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(scraped);
    fail("not scraped within " + METRICS_TIMEOUT + ": " + missing);
    return scraped;
  }

  private static void awaitReady(String api, Process server, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        fail("Prometheus exited: " + Files.readString(log));
      }
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    fail("Prometheus not ready in 30 s: " + Files.readString(log));
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static byte[] key(String rid) {
    return rid.getBytes(StandardCharsets.UTF_8);
  }
}
