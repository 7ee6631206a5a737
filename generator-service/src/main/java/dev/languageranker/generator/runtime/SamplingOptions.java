package dev.languageranker.generator.runtime;

import java.util.List;

/**
 * How candidates are sampled: K per prompt, temperature (0 is greedy), nucleus top-p (1 is off), top-k (0 is off),
 * the limit of new tokens, stop strings (the text is cut before them) and the seed that makes a run reproducible.
 */
public record SamplingOptions(
    int k, double temperature, double topP, int topK, int maxNewTokens, List<String> stopStrings, long seed) {

  public SamplingOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must not be negative, got " + temperature);
    }
    if (topP <= 0 || topP > 1) {
      throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must not be negative, got " + topK);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
    }
    stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
  }

  /** K samples at the given temperature, no truncation, 256 new tokens, no stop strings. */
  public static SamplingOptions of(int k, double temperature, long seed) {
    return new SamplingOptions(k, temperature, 1.0, 0, 256, List.of(), seed);
  }

  public SamplingOptions withMaxNewTokens(int maxNewTokens) {
    return new SamplingOptions(k, temperature, topP, topK, maxNewTokens, stopStrings, seed);
  }

  public SamplingOptions withTopP(double p) {
    return new SamplingOptions(k, temperature, p, topK, maxNewTokens, stopStrings, seed);
  }

  public SamplingOptions withTopK(int top) {
    return new SamplingOptions(k, temperature, topP, top, maxNewTokens, stopStrings, seed);
  }

  public SamplingOptions withStopStrings(List<String> stops) {
    return new SamplingOptions(k, temperature, topP, topK, maxNewTokens, stops, seed);
  }
}
