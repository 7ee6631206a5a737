package dev.languageranker.systemtests;

import dev.languageranker.dashboard.PipelineGraph;
import dev.languageranker.dashboard.Dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Strategy;
import dev.languageranker.events.Task;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.testing.KafkaBroker;
import dev.languageranker.platform.testing.KafkaBrokerExtension;
import dev.languageranker.platform.testing.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A reduced running stack (the embedded broker, the dashboard, steady prompts and a consumer group that reads them
 * slower than they come, plus answers) loaded in headless Chromium: the page must show the pipeline graph, a lag
 * in seconds, and a chart whose data grows without a reload. Skips where Debian's chromium or chromedriver is
 * missing.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pageShowsTheGraphALagInSecondsAndAChartThatUpdates(KafkaBroker broker) throws Exception {
    LrConfig config = broker.config(Map.of(Settings.DASHBOARD_PORT.key(), "0",
        Settings.DASHBOARD_INTERVAL.key(), "1s", Settings.DASHBOARD_WINDOW.key(), "10s"));
    TestTopics.ensureCatalogue(config);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread traffic = new Thread(() -> traffic(config, running), "test-traffic");
    traffic.start();
    try (Dashboard dashboard = Dashboard.start(config, null)) {
      JsonNode state = waitForState(dashboard, s -> s.path("graph").path("edges").findValues("lagSeconds").stream()
          .anyMatch(v -> v.asDouble() > 0));
      JsonNode generatorEdge = edge(state, PipelineGraph.GENERATOR, "lr.prompts");
      assertTrue(generatorEdge.get("lag").asLong() > 0, generatorEdge.toString());
      assertTrue(generatorEdge.get("exact").asBoolean(), "time lag read from the committed record");
      assertTrue(state.get("answers").asLong() > 0, "the answers were read");
      String metrics = get(dashboard.url() + "metrics");
      assertTrue(
          metrics.contains("kafka_consumergroup_group_lag_seconds{cluster_name=\"local\",group=\"lr-generator\""),
          metrics);

      Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
          "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
      browse(dashboard.url());
    } finally {
      running.set(false);
      traffic.join();
    }
  }

  private static void browse(String url) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1800");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    try {
      driver.get(url);
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
      WebElement generatorEdge = wait.until(d -> {
        List<WebElement> edges = d.findElements(By.cssSelector("#graph g.edge-label[data-group='lr-generator']"));
        return edges.isEmpty() || !edges.get(0).getText().contains(" s") ? null : edges.get(0);
      });
      String label = generatorEdge.getText().replace("\n", " ");
      assertTrue(label.matches("\\d+ rec · [\\d.]+ s ?(OK|WARN|STALL|STOP)"), label);
      assertTrue(driver.findElements(By.cssSelector("#graph g.node")).size() >= PipelineGraph.nodes().size(),
          "every pipeline node is drawn");
      assertTrue(driver.findElements(By.cssSelector("#graph g.node[data-node='lr-trainer']")).size() == 1);
      WebElement lagCell = wait.until(d -> d.findElements(By.cssSelector("#groups td.lag-seconds")).stream()
          .filter(e -> e.getText().matches("~?[\\d.]+ s") && !e.getText().equals("0.0 s")).findFirst().orElse(null));
      assertTrue(lagCell.getText().endsWith(" s"), lagCell.getText());
      WebElement chart = driver.findElement(By.id("chart-lag"));
      wait.until(d -> chart.findElements(By.tagName("canvas")).size() > 0);
      int points = Integer.parseInt(chart.getDomAttribute("data-points"));
      int updates = Integer.parseInt(chart.getDomAttribute("data-updates"));
      wait.until(d -> Integer.parseInt(chart.getDomAttribute("data-points")) > points
          && Integer.parseInt(chart.getDomAttribute("data-updates")) > updates);
      Path screenshot = Path.of("target", "dashboard-screenshot.png");
      Files.createDirectories(screenshot.getParent());
      Files.write(screenshot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      assertTrue(Files.size(screenshot) > 10_000, "a real screenshot");
    } finally {
      driver.quit();
    }
  }

  /** Prompts keep coming; lr-generator commits behind them; answers arrive for some. */
  private static void traffic(LrConfig config, AtomicBoolean running) {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    EventSerdes serdes = new EventSerdes(config);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("test-traffic"));
        KafkaConsumer<byte[], byte[]> generator = new KafkaConsumer<>(clients.consumer(PipelineGraph.GENERATOR,
            "test-generator"))) {
      generator.subscribe(List.of(Topics.PROMPTS.name()));
      int i = 0;
      while (running.get()) {
        String id = "browser-" + i++;
        producer.send(new ProducerRecord<>(Topics.PROMPTS.name(), id.getBytes(StandardCharsets.UTF_8), new byte[8]));
        RankedAnswer answer = RankedAnswer.newBuilder().setRequestId(id).setTask(Task.MATH).setChosenIndex(0)
            .setChosenText("42").setScores(List.of()).setStrategy(Strategy.MAJORITY_VOTE).setRankerId("default")
            .setComplete(true).setCandidatesRanked(1).setK(1).setBaseModelId("demo").setLatencyMs(50)
            .setPromptCreatedAt(Instant.now().minusMillis(300)).setAnsweredAt(Instant.now()).build();
        producer.send(new ProducerRecord<>(Topics.ANSWERS.name(), id.getBytes(StandardCharsets.UTF_8),
            serdes.of(RankedAnswer.class).serializer().serialize(Topics.ANSWERS.name(), answer)));
        // Consume, but commit only up to two records behind the end of what was read: lag stays above zero.
        var records = generator.poll(Duration.ofMillis(200));
        Map<TopicPartition, OffsetAndMetadata> commits = new java.util.HashMap<>();
        records.partitions().forEach(tp -> {
          var list = records.records(tp);
          long behind = Math.max(list.get(0).offset(), list.get(list.size() - 1).offset() - 1);
          commits.put(tp, new OffsetAndMetadata(behind));
        });
        if (!commits.isEmpty()) {
          generator.commitSync(commits);
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode edge(JsonNode state, String group, String topic) {
    for (JsonNode e : state.path("graph").path("edges")) {
      if (group.equals(e.path("group").asText()) && topic.equals(e.path("topic").asText())) {
        return e;
      }
    }
    throw new AssertionError("no edge " + group + " " + topic + " in " + state.path("graph"));
  }

  private static JsonNode waitForState(Dashboard dashboard, java.util.function.Predicate<JsonNode> ready)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode state = null;
    while (System.nanoTime() < deadline) {
      state = JSON.readTree(get(dashboard.url() + "api/state"));
      if (ready.test(state)) {
        return state;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the dashboard never showed a lag in seconds: " + state);
  }

  static String get(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }
}
