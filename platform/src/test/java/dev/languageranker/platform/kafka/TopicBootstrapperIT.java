package dev.languageranker.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.config.LrConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against a broker of its own, so that it sees the catalogue's topics created from nothing. */
class TopicBootstrapperIT {
  private static EmbeddedKafka broker;
  private static Admin admin;
  private static LrConfig config;

  @BeforeAll
  static void start() {
    broker = EmbeddedKafka.startTemporary();
    config = LrConfig.builder().overrides(Map.of("bootstrap.servers", broker.bootstrapServers())).build();
    admin = Admin.create(new KafkaClientProperties(config).admin());
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  @Test
  void createsTheWholeCatalogueOnceWithItsConfigsAndAfterwardsCreatesNothing() {
    TopicBootstrapper bootstrapper = new TopicBootstrapper(admin, config, Duration.ofSeconds(30));

    TopicBootstrapper.Report first = bootstrapper.ensure(Topics.ALL);
    TopicBootstrapper.Report second = bootstrapper.ensure(Topics.ALL);

    assertEquals(Topics.ALL.stream().map(Topic::name).toList(), first.created());
    assertEquals(List.of(), first.mismatches());
    assertEquals(List.of(), second.created());
    assertEquals(Topics.ALL.size(), second.existing().size());
    assertEquals(List.of(), second.mismatches());

    Map<String, TopicBootstrapper.TopicState> states = bootstrapper
        .describe(List.of("lr.ranker-models", "lr.candidates"));
    assertEquals("compact", states.get("lr.ranker-models").configs().get("cleanup.policy"));
    assertEquals(1, states.get("lr.ranker-models").partitions());
    assertEquals(6, states.get("lr.candidates").partitions());
    assertTrue(Integer.parseInt(states.get("lr.candidates").configs().get("max.message.bytes")) >= 2 * 8192 * 4 + 65536,
        "candidates must hold two 8192-dim float32 vectors");
    assertEquals(String.valueOf(Duration.ofDays(7).toMillis()),
        states.get("lr.candidates").configs().get("retention.ms"));
  }

  @Test
  void reportsButDoesNotAlterATopicWhoseConfigDiffers() throws Exception {
    Topic<?> odd = new Topic<>("odd.answers", dev.languageranker.events.RankedAnswer.class, "requestId", 3,
        Map.of("retention.ms", "1000"), "a topic with the wrong retention on the cluster");
    admin.createTopics(List.of(new NewTopic(odd.name(), 2, (short) 1).configs(Map.of("retention.ms", "5000"))))
        .all().get();
    TopicBootstrapper bootstrapper = new TopicBootstrapper(admin, config, Duration.ofSeconds(30));

    TopicBootstrapper.Report report = bootstrapper.ensure(List.of(odd));

    assertEquals(List.of(
        new TopicBootstrapper.Mismatch("odd.answers", "partitions", "3", "2"),
        new TopicBootstrapper.Mismatch("odd.answers", "retention.ms", "1000", "5000")), report.mismatches());
    assertEquals("5000",
        bootstrapper.describe(List.of("odd.answers")).get("odd.answers").configs().get("retention.ms"));
  }
}
