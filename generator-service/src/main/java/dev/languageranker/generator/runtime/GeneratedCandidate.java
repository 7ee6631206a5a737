package dev.languageranker.generator.runtime;

import dev.languageranker.ranker.features.FeaturePooling;

/**
 * One sampled response: its text (cut before a stop string, without EOS), the sampled token ids (including the
 * final EOS when there was one), each token's model log-prob, why it ended, and its features: the one the model's
 * pooling selects ({@code responseFeature}, what is published), the hidden state at its last token and the mean of
 * the hidden states over its response tokens, EOS excluded (both are computed in the same pass).
 */
public record GeneratedCandidate(
    int index, String text, long[] tokenIds, float[] tokenLogProbs, StopReason stopReason, float[] responseFeature,
    float[] lastTokenFeature, float[] meanFeature) {

  /** A candidate with one (last-token) feature. */
  public GeneratedCandidate(
      int index, String text, long[] tokenIds, float[] tokenLogProbs, StopReason stopReason, float[] responseFeature) {
    this(index, text, tokenIds, tokenLogProbs, stopReason, responseFeature, responseFeature, null);
  }

  /** The response feature under {@code pooling}. */
  public float[] feature(FeaturePooling pooling) {
    float[] feature = pooling == FeaturePooling.MEAN ? meanFeature : lastTokenFeature;
    if (feature == null) {
      throw new IllegalStateException("candidate " + index + " has no " + pooling.key() + "-pooled feature");
    }
    return feature;
  }

  /** Sum of the token log-probs. */
  public double logProb() {
    double sum = 0;
    for (float value : tokenLogProbs) {
      sum += value;
    }
    return sum;
  }

  /** Mean token log-prob (0 for an empty response). */
  public double meanLogProb() {
    return tokenLogProbs.length == 0 ? 0 : logProb() / tokenLogProbs.length;
  }
}
