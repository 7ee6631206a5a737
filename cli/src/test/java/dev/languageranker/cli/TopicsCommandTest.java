package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsCommandTest {
  @Test
  void listsEveryCatalogueTopicWithItsConfigOnAFreshEmbeddedBroker() throws Exception {
    CliRun run = CliRun.of("topics", "--embedded", "--json");

    assertEquals(0, run.exitCode(), run.err());
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> topics = run.out().lines().filter(l -> l.startsWith("{")).map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    }).toList();
    assertEquals(Topics.ALL.stream().map(Topic::name).toList(),
        topics.stream().map(t -> t.get("topic").asText()).toList());
    for (JsonNode topic : topics) {
      assertTrue(topic.get("created").asBoolean(), topic.toString());
    }
    JsonNode models = topics.stream().filter(t -> t.get("topic").asText().equals("lr.ranker-models")).findFirst().get();
    assertEquals("compact", models.get("configs").get("cleanup.policy").asText());
    assertEquals(1, models.get("partitions").asInt());
  }

  @Test
  void anUnreachableBrokerIsAClearErrorNotAStackTrace() {
    CliRun run = CliRun.of("topics", "--timeout", "2s", "--set", "bootstrap.servers=127.0.0.1:1",
        "--set", "kafka.request.timeout.ms=1000", "--set", "kafka.default.api.timeout.ms=2000");

    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("error: "), run.err());
  }
}
