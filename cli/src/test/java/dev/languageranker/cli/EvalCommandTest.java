package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval} on the bundled demo model at a tiny size: every promised key, and samples reused from the cache. */
class EvalCommandTest {
  private static final Path DEMO = Path.of("../models/demo");

  @TempDir Path cache;

  private CliRun eval() {
    return CliRun.of("eval", "--model", DEMO.toString(), "--tasks", "math", "--train-problems", "12", "--test-problems",
        "4",
        "--samples", "4", "--k", "3", "--cache-dir", cache.toString());
  }

  @Test
  void printsEveryStrategyWithIntervalsAndReusesCachedSamples() throws Exception {
    CliRun first = eval();
    assertEquals(0, first.exitCode(), first.err());
    JsonNode line = new ObjectMapper().readTree(first.out().trim());
    assertEquals("math", line.get("task").asText());
    assertEquals(3, line.get("k").asInt());
    assertEquals(4, line.get("n_test_prompts").asInt());
    for (String strategy : List.of("first_sample", "majority_vote", "mean_logprob", "listwise", "pointwise",
        "listwise_side",
        "pointwise_side", "oracle")) {
      JsonNode entry = line.get(strategy);
      assertTrue(entry.get("accuracy").isNumber(), strategy);
      assertEquals(2, entry.get("ci95").size(), strategy);
      assertTrue(entry.get("ci95").get(0).asDouble() <= entry.get("ci95").get(1).asDouble(), strategy);
    }
    for (String method : List.of("listwise", "pointwise", "listwise_side", "pointwise_side")) {
      for (String baseline : List.of("majority_vote", "mean_logprob")) {
        assertTrue(line.get(method + "_minus_" + baseline).get("diff").isNumber(), method + " vs " + baseline);
      }
    }
    assertTrue(line.get("ranker_minus_best_baseline").get("ci95").isArray());
    assertTrue(line.has("probe_auc"));
    assertTrue(first.err().contains("sampled"), first.err());
    try (Stream<Path> files = Files.list(cache)) {
      // One shard per problem set and pooling: train and test, last and mean.
      assertEquals(4, files.filter(p -> p.toString().endsWith(".lrts")).count());
    }

    CliRun second = eval();
    assertEquals(0, second.exitCode(), second.err());
    assertFalse(second.err().contains("sampled"), "the second run must reuse the cached samples: " + second.err());
    assertEquals(line.get("first_sample"), new ObjectMapper().readTree(second.out().trim()).get("first_sample"));
  }

  @Test
  void aGroupLargerThanTheSamplesIsAUsageError() {
    CliRun run = CliRun.of("eval", "--samples", "4", "--k", "5", "--cache-dir", cache.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--k"), run.err());
  }
}
