package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench verify-math}: one JSON line with the agreed keys; bad arguments exit non-zero with the reason. */
class BenchVerifyMathCommandTest {

  @Test
  void aShortRunPrintsOneJsonLineWithRateLatencyAndMix() throws Exception {
    CliRun run = CliRun.of("bench", "verify-math", "--seconds", "0.3", "--warmup-seconds", "0", "--cases", "200");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run.out());
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    for (String key : List.of("bench", "verdicts_per_s", "verdicts_per_cpu_s", "p50_ms", "p99_ms", "p99_cpu_ms",
        "threads", "mix", "mix_percent", "verdict_counts")) {
      assertTrue(json.has(key), "missing " + key + " in " + json);
    }
    assertEquals("verify-math", json.get("bench").asText());
    assertTrue(json.get("verdicts_per_s").asDouble() > 0);
    // every verdict is counted, and the mix holds nothing the verifier cannot read
    JsonNode counts = json.get("verdict_counts");
    assertEquals(json.get("verdicts").asInt(), counts.path("correct").asInt() + counts.path("incorrect").asInt(),
        json.toString());
  }

  @Test
  void aNonPositiveDurationFailsWithTheReason() {
    CliRun run = CliRun.of("bench", "verify-math", "--seconds", "0");

    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--seconds must be > 0"), run.err());
  }
}
