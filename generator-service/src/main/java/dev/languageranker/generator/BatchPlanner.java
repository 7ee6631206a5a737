package dev.languageranker.generator;

import java.util.List;

/**
 * Decides which prompts share a forward batch: the same sampling options (K, temperature, limits), no prompt with
 * its own seed, and within the token budget, counted as the KV-cache positions the batch can reach:
 * prompts x K x (longest prompt + max new tokens), since prompts are left-padded to the longest.
 */
public final class BatchPlanner {

  private final int budgetTokens;

  public BatchPlanner(int budgetTokens) {
    if (budgetTokens < 1) {
      throw new IllegalArgumentException("token budget must be positive, got " + budgetTokens);
    }
    this.budgetTokens = budgetTokens;
  }

  /** Whether {@code next} may join {@code batch}; an empty batch takes any prompt, even one over the budget. */
  public boolean fits(List<PreparedPrompt> batch, PreparedPrompt next) {
    if (batch.isEmpty()) {
      return true;
    }
    PreparedPrompt first = batch.get(0);
    if (first.seeded() || next.seeded() || !first.batchKey().equals(next.batchKey())) {
      return false;
    }
    int longest = next.promptTokens();
    for (PreparedPrompt prompt : batch) {
      longest = Math.max(longest, prompt.promptTokens());
    }
    long cost = (long) (batch.size() + 1) * first.sampling().k() * (longest + first.sampling().maxNewTokens());
    return cost <= budgetTokens;
  }
}
