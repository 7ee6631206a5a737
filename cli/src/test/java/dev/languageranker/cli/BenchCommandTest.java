package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench commands: argument errors exit non-zero with a message; a run prints one JSON line with the agreed keys. */
class BenchCommandTest {

  @Test
  void benchWithoutABenchmarkNameFails() {
    CliRun run = CliRun.of("bench");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("Missing benchmark name"), run.err());
  }

  @Test
  void trainWithTooFewQueriesFailsWithTheReason() {
    CliRun run = CliRun.of("bench", "train", "--queries", "2");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--queries must be at least 5"), run.err());
  }

  @Test
  void rankWithANonNumericDimFails() {
    CliRun run = CliRun.of("bench", "rank", "--dim", "wide");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--dim"), run.err());
  }

  @Test
  void aSmallTrainingBenchPrintsOneJsonLineWithTheAgreedKeys() throws Exception {
    CliRun run = CliRun.of("bench", "train", "--queries", "30", "--samples", "12", "--dim", "32", "--no-progress");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run.out());
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    for (String key : List.of("bench", "queries", "samples", "dim", "load_s", "train_s", "total_s", "params",
        "holdout_accuracy", "first_sample_accuracy", "oracle_accuracy")) {
      assertTrue(json.has(key), "missing " + key + " in " + json);
    }
    assertEquals("train", json.get("bench").asText());
    assertEquals(30, json.get("queries").asInt());
  }

  @Test
  void aShortRankBenchPrintsOneJsonLineWithTheAgreedKeys() throws Exception {
    CliRun run = CliRun.of("bench", "rank", "--dim", "32", "--k", "3", "--batch", "8", "--seconds", "0.05");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run.out());
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    for (String key : List.of("bench", "dim", "k", "groups_per_s_single", "groups_per_s_batched", "p50_ms", "p99_ms",
        "matmul_gflops", "ranker_gflops", "params")) {
      assertTrue(json.has(key), "missing " + key + " in " + json);
    }
    assertEquals("rank", json.get("bench").asText());
    assertTrue(json.get("groups_per_s_batched").asDouble() > 0);
  }
}
