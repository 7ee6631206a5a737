package dev.languageranker.generator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Task;
import dev.languageranker.generator.runtime.SamplingOptions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prompts share a forward batch only with equal sampling, no own seed, and within the token budget. */
class BatchPlannerTest {
  private static final SamplingOptions K4 = SamplingOptions.of(4, 1.0, 0).withMaxNewTokens(20);

  private static PreparedPrompt prompt(int tokens, SamplingOptions sampling, boolean seeded) {
    PromptRequest request = PromptRequest.newBuilder().setRequestId("r" + tokens).setTask(Task.MATH).setText("x")
        .setCreatedAt(Instant.EPOCH).build();
    return new PreparedPrompt(request, "x", tokens, sampling, seeded);
  }

  @Test
  void promptsJoinWhileBatchTimesKTimesLongestRowStaysWithinTheBudget() {
    // 4 x (30 + 20) = 200 tokens per prompt; a budget of 500 holds two, not three.
    BatchPlanner planner = new BatchPlanner(500);
    PreparedPrompt a = prompt(30, K4, false);
    assertTrue(planner.fits(List.of(), a));
    assertTrue(planner.fits(List.of(a), prompt(30, K4, false)));
    assertFalse(planner.fits(List.of(a, prompt(30, K4, false)), prompt(30, K4, false)));
  }

  @Test
  void theLongestPromptSetsTheRowLengthForTheWholeBatch() {
    // Left padding: 2 x 4 x (80 + 20) = 800 > 500, although the short prompt alone costs little.
    BatchPlanner planner = new BatchPlanner(500);
    assertFalse(planner.fits(List.of(prompt(80, K4, false)), prompt(5, K4, false)));
  }

  @Test
  void aSinglePromptOverTheBudgetStillRunsAlone() {
    assertTrue(new BatchPlanner(10).fits(List.of(), prompt(300, K4, false)));
  }

  @Test
  void differentSamplingOrAnOwnSeedKeepsPromptsApart() {
    BatchPlanner planner = new BatchPlanner(100_000);
    PreparedPrompt a = prompt(10, K4, false);
    assertFalse(planner.fits(List.of(a), prompt(10, SamplingOptions.of(8, 1.0, 0).withMaxNewTokens(20), false)));
    assertFalse(planner.fits(List.of(a), prompt(10, K4.withTopP(0.9), false)));
    assertFalse(planner.fits(List.of(a), prompt(10, K4, true)));
    assertFalse(planner.fits(List.of(prompt(10, K4, true)), a));
    // The seed alone does not split unseeded prompts: the batch gets its own.
    assertTrue(planner.fits(List.of(a), prompt(10, SamplingOptions.of(4, 1.0, 99).withMaxNewTokens(20), false)));
  }
}
