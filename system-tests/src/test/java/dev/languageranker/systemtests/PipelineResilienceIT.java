package dev.languageranker.systemtests;

import dev.languageranker.cli.PipelineClient;
import dev.languageranker.cli.DemoTraffic;
import dev.languageranker.cli.PromptInput;
import dev.languageranker.cli.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.demo.DemoProblemSource;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.testing.TestTopics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as separate processes of this project's command line (a broker, a generator, two rankers, a
 * labeler and a trainer) under steady traffic, with one process at a time killed with SIGKILL at a random moment
 * and started again. At the end every prompt has exactly one answer (read_committed), the trainer's training set
 * holds every training example exactly once, and the surviving ranker held all partitions while the other was
 * down. Bounded: the whole test is under four minutes.
 */
@Timeout(value = 235)
class PipelineResilienceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The whole test's budget; the JUnit timeout above is a little longer. */
  private static final Duration BUDGET = Duration.ofSeconds(225);
  private static final Duration KILL_PERIOD = Duration.ofSeconds(70);
  /** Kept at the end for the last answers and the trainer to catch up. */
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final double RATE = 0.7;

  /** Each process's output, kept for reading after a failure. */
  private static final Path LOGS = Path.of("target", "resilience-logs");

  @TempDir Path dir;
  private final Map<String, Process> processes = new ConcurrentHashMap<>();
  private final List<String> events = new ArrayList<>();
  private String bootstrap;
  private int trainerMetricsPort;

  @AfterEach
  void stopAll() {
    processes.values().forEach(Process::destroy);
    processes.values().forEach(p -> {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    });
  }

  @Test
  void everyPromptIsAnsweredOnceAndNoExampleIsLostOrDoubledWhileProcessesAreKilled() throws Exception {
    long testStart = System.nanoTime();
    if (Files.exists(LOGS)) {
      try (var old = Files.list(LOGS)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(LOGS);
    int brokerPort = freePort();
    bootstrap = "127.0.0.1:" + brokerPort;
    trainerMetricsPort = freePort();
    start("broker", "broker", "--set", "embedded.port=" + brokerPort, "--set",
        "embedded.data.dir=" + dir.resolve("kafka"));
    awaitLog("broker", "ready in", Duration.ofSeconds(60));
    for (String name : List.of("labeler", "ranker-1", "ranker-2", "trainer", "generator")) {
      startService(name);
    }
    LrConfig config = LrConfig.builder().overrides(Map.of(Settings.BOOTSTRAP_SERVERS.key(), bootstrap)).build();
    TestTopics.ensureCatalogue(config);

    Random random = new Random();
    DemoProblemSource problems = new DemoProblemSource();
    Map<String, Long> sentAt = new LinkedHashMap<>();
    // One kill per service kind, each at a random moment of its own slice of the kill period, which starts once
    // the pipeline answered its first prompt (so every kill hits a working pipeline).
    List<String> victims = List.of("generator", "ranker-1", "labeler", "trainer");
    long slice = KILL_PERIOD.toMillis() / victims.size();
    List<Long> killAt = new ArrayList<>();
    for (int i = 0; i < victims.size(); i++) {
      killAt.add(i * slice + 2_000 + random.nextInt((int) (slice - 8_000)));
    }
    boolean takeover = false;
    String run = Long.toHexString(System.nanoTime());
    long firstAnswerAt = -1;
    try (PipelineClient client = new PipelineClient(config, Duration.ofSeconds(30));
        PipelineClient.AnswerReader answerReader = client.answers(false)) {
      long trafficStart = System.currentTimeMillis();
      int next = 0;
      int sequence = 0;
      // Waiting for the first answer (process starts, model load, a loaded machine) may take what the budget leaves.
      long warmUpEnd = System.currentTimeMillis() + BUDGET.minus(KILL_PERIOD).minus(DRAIN).toMillis()
          - (System.nanoTime() - testStart) / 1_000_000;
      while (firstAnswerAt < 0 ? System.currentTimeMillis() < warmUpEnd
          : System.currentTimeMillis() - firstAnswerAt < KILL_PERIOD.toMillis()) {
        if (firstAnswerAt < 0 && !answerReader.poll(Duration.ofMillis(50)).isEmpty()) {
          firstAnswerAt = System.currentTimeMillis();
          events.add("first answer " + (firstAnswerAt - trafficStart) + " ms after traffic started");
        }
        long elapsed = firstAnswerAt < 0 ? -1 : System.currentTimeMillis() - firstAnswerAt;
        if (next < victims.size() && elapsed >= killAt.get(next)) {
          String victim = victims.get(next);
          kill(victim, elapsed);
          if (victim.startsWith("ranker")) {
            takeover = awaitTakeover(config, Duration.ofSeconds(20));
            events.add("surviving ranker holds every partition: " + takeover);
          } else {
            Thread.sleep(2000);
          }
          startService(victim);
          events.add("restarted " + victim + " at " + (System.currentTimeMillis() - firstAnswerAt) + " ms");
          next++;
        }
        if (sequence < (System.currentTimeMillis() - trafficStart) / 1000.0 * RATE) {
          DemoTask task = random.nextBoolean() ? DemoTask.MATH : DemoTask.FUNCTION;
          String id = "resilience-" + run + "-" + sequence++;
          PromptInput input = DemoTraffic.prompt(problems.nextTrain(task, random), id);
          input.prompt().setK(4);
          client.send(input);
          client.flush();
          sentAt.put(id, System.currentTimeMillis());
        }
        Thread.sleep(100);
      }
    }
    assertTrue(firstAnswerAt > 0, "the pipeline never answered within its warm-up: " + events);

    Map<String, List<RankedAnswer>> answers = awaitAnswers(config, sentAt.keySet(),
        Duration
            .ofNanos(Math.max(5_000_000_000L, BUDGET.minusSeconds(15).toNanos() - (System.nanoTime() - testStart))));
    List<String> unanswered = sentAt.keySet().stream().filter(id -> !answers.containsKey(id)).toList();
    List<String> doubled = answers.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey)
        .toList();
    long longest = answers.values().stream().mapToLong(a -> a.get(0).getAnsweredAt().toEpochMilli()
        - a.get(0).getPromptCreatedAt().toEpochMilli()).max().orElse(-1);
    long[] stored = trainerStoredVsTopic(config, Duration.ofSeconds(15));

    ObjectNode report = JSON.createObjectNode().put("requests", sentAt.size()).put("answered", answers.size())
        .put("unanswered", unanswered.size()).put("answered_twice", doubled.size())
        .put("kills", victims.size()).put("longest_answer_delay_ms", longest)
        .put("trainer_stored", stored[0]).put("training_examples_on_topic", stored[1])
        .put("distinct_training_requests", stored[2]).put("surviving_ranker_took_over", takeover)
        .put("seconds", (System.nanoTime() - testStart) / 1_000_000_000L);
    report.putPOJO("events", events);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "resilience-report.json"), report.toString());
    System.out.println("resilience " + report);

    assertTrue(unanswered.isEmpty(), "unanswered " + unanswered + " " + report);
    assertTrue(doubled.isEmpty(), "answered twice " + doubled);
    assertTrue(takeover, "the surviving ranker took over every partition while the other was down");
    assertEquals(stored[1], stored[0], "the trainer stored every example on its topic exactly once: " + report);
    assertEquals(stored[2], stored[0], "one stored example per labeled request: " + report);
  }

  private void startService(String name) throws IOException {
    String command = name.replaceAll("-\\d$", "");
    List<String> args = new ArrayList<>(List.of(command, "--set", "bootstrap.servers=" + bootstrap,
        "--set", "metrics.port=" + (name.equals("trainer") ? trainerMetricsPort : -1),
        "--set", "streams.state.dir=" + dir.resolve("state-" + name),
        // A killed member leaves the group after 6 s instead of 45 s, so the survivor takes over quickly.
        "--set", "kafka.session.timeout.ms=6000", "--set", "kafka.heartbeat.interval.ms=1000"));
    switch (command) {
      case "generator" -> args.addAll(List.of("--set", "generator.instance.id=resilience",
          "--set", "generator.model.dir=" + demoModel(),
          "--set", "generator.max.new.tokens=" + DemoTraffic.MAX_NEW_TOKENS));
      case "ranker" -> args.addAll(List.of("--set", "ranker.stream.threads=1", "--set", "ranker.group.timeout=20s"));
      case "labeler" -> args.addAll(List.of("--set", "labeler.group.timeout=20s"));
      case "trainer" -> args.addAll(List.of("--set", "trainer.data.dir=" + dir.resolve("trainer"),
          "--set", "trainer.retrain.min-new-requests=20"));
      default -> {
      }
    }
    start(name, args.toArray(String[]::new));
  }

  private void start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        name.equals("generator") ? "-Xmx1g" : "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path log = LOGS.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("LR_LOG_LEVEL", "INFO");
    processes.put(name, builder.start());
  }

  private void kill(String name, long atMillis) throws InterruptedException {
    Process process = processes.remove(name);
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean leave
    process.waitFor();
    events.add("killed " + name + " (pid " + process.pid() + ") at " + atMillis + " ms");
  }

  private void awaitLog(String name, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Path log = LOGS.resolve(name + ".log");
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        name + " never logged '" + text + "': " + (Files.exists(log) ? Files.readString(log) : ""));
  }

  /** Waits until lr-ranker has one member that holds every partition of lr.candidates. */
  private boolean awaitTakeover(LrConfig config, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      int partitions = admin.describeTopics(List.of(Topics.CANDIDATES.name())).allTopicNames().get()
          .get(Topics.CANDIDATES.name()).partitions().size();
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("lr-ranker")).all().get()
            .get("lr-ranker");
        if (group.members().size() == 1) {
          long held = group.members().iterator().next().assignment().topicPartitions().stream()
              .filter(tp -> tp.topic().equals(Topics.CANDIDATES.name())).count();
          if (held == partitions) {
            return true;
          }
        }
        Thread.sleep(500);
      }
    }
    return false;
  }

  private Map<String, List<RankedAnswer>> awaitAnswers(LrConfig config, Set<String> ids, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    EventSerdes serdes = new EventSerdes(config);
    Map<String, List<RankedAnswer>> answers = new HashMap<>();
    while (System.nanoTime() < deadline) {
      answers.clear();
      for (ConsumerRecord<byte[], byte[]> r : TestTopics.readFromStart(config, Topics.ANSWERS.name(),
          r -> ids.contains(new String(r.key(), StandardCharsets.UTF_8)), Integer.MAX_VALUE, Duration.ofSeconds(3))) {
        RankedAnswer a = serdes.of(RankedAnswer.class).deserializer().deserialize(r.topic(), r.value());
        answers.computeIfAbsent(a.getRequestId(), k -> new ArrayList<>()).add(a);
      }
      if (answers.keySet().containsAll(ids)) {
        return answers;
      }
      Thread.sleep(2000);
    }
    return answers;
  }

  /**
   * The trainer's stored requests for "default" (its own gauge) against the records of lr.training-examples-by-ranker
   * for it and the distinct request ids of lr.training-examples, once they agree or the time is up.
   */
  private long[] trainerStoredVsTopic(LrConfig config, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long[] result = {-1, -1, -1};
    while (System.nanoTime() < deadline) {
      List<ConsumerRecord<byte[], byte[]>> byRanker = TestTopics.readFromStart(config,
          Topics.TRAINING_EXAMPLES_BY_RANKER.name(), r -> "default".equals(new String(r.key(), StandardCharsets.UTF_8)),
          Integer.MAX_VALUE, Duration.ofSeconds(3));
      long distinct = TestTopics.readFromStart(config, Topics.TRAINING_EXAMPLES.name(), r -> true, Integer.MAX_VALUE,
          Duration.ofSeconds(3)).stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).distinct().count();
      result = new long[]{storedRequests(), byRanker.size(), distinct};
      if (result[0] == result[1] && result[1] == result[2]) {
        return result;
      }
      Thread.sleep(2000);
    }
    return result;
  }

  private long storedRequests() {
    try {
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + trainerMetricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = Pattern.compile("lr_trainer_training_set_requests\\{[^}]*ranker_id=\"default\"[^}]*} ([0-9.E]+)")
          .matcher(metrics);
      return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  /** The bundled demo model; tests run in the module's directory, the model is at the repository's root. */
  private static Path demoModel() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("models/demo"))) {
        return dir.resolve("models/demo");
      }
    }
    throw new IllegalStateException("models/demo not found above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
