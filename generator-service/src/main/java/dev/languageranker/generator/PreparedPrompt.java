package dev.languageranker.generator;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.generator.runtime.SamplingOptions;

/**
 * A prompt ready to generate for: the request, its rendered prompt text and token count, and its sampling options.
 * {@code seeded} prompts named their own seed and so run in a batch of their own, where the seed alone decides
 * the candidates.
 */
public record PreparedPrompt(
    PromptRequest request, String promptText, int promptTokens, SamplingOptions sampling, boolean seeded) {

  /** KV-cache positions one candidate of this prompt can reach. */
  public int rowTokens() {
    return promptTokens + sampling.maxNewTokens();
  }

  /** Sampling options with the seed left out: prompts with equal keys can share a forward batch. */
  public SamplingOptions batchKey() {
    return new SamplingOptions(sampling.k(), sampling.temperature(), sampling.topP(), sampling.topK(),
        sampling.maxNewTokens(), sampling.stopStrings(), 0);
  }
}
