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
  void loopWithTooFewRequestsFailsWithTheReason() {
    CliRun run = CliRun.of("bench", "loop", "--requests", "3");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--requests >= 20"), run.err());
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
  void jmhWithAPatternThatMatchesNoBenchmarkFailsWithTheReason() {
    CliRun run = CliRun.of("bench", "jmh", "NoSuchBenchmark", "--forks", "0", "--iterations", "1");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("NoSuchBenchmark"), run.err());
  }

  @Test
  void aShortJmhRunOfTheMathVerifierPrintsOneJsonLinePerResult() throws Exception {
    // In this JVM (no fork), one short iteration: checks the wiring, not the speed.
    CliRun run = CliRun.of("bench", "jmh", "MathVerification", "--forks", "0", "--warmup-iterations", "0",
        "--iterations", "1", "--iteration-seconds", "0.2");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run.out());
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    assertEquals("MathVerificationBenchmark.verifyOneAnswer", json.get("benchmark").asText());
    assertEquals("ops/s", json.get("unit").asText());
    assertTrue(json.get("score").asDouble() > 0, json.toString());
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

  @Test
  void pipelineWithANegativeWarmUpFailsWithTheReason() {
    CliRun run = CliRun.of("bench", "pipeline", "--warmup-groups", "-1");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--warmup-groups"), run.err());
  }

  @Test
  void aSmallPipelineBenchPrintsOneJsonLineWithTheAgreedKeys() throws Exception {
    CliRun run = CliRun.of("bench", "pipeline", "--groups", "40", "--k", "3", "--dim", "32", "--warmup-groups", "20",
        "--max-warmup-rounds", "1", "--latency-groups", "10", "--latency-rate", "50");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run.out());
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    for (String key : List.of("bench", "groups", "k", "dim", "groups_per_s", "raw_consume_groups_per_s", "ratio",
        "p50_ms", "p99_ms")) {
      assertTrue(json.has(key), "missing " + key + " in " + json);
    }
    assertEquals("pipeline", json.get("bench").asText());
    assertEquals(40, json.get("groups").asInt());
    assertEquals(20, json.get("warmup_groups").asInt());
    assertEquals(10, json.get("latency_groups").asInt());
    assertTrue(json.get("groups_per_s").asDouble() > 0 && json.get("raw_consume_groups_per_s").asDouble() > 0,
        json.toString());
  }
}
