package dev.languageranker.generator.runtime;

/**
 * One sampled response: its text (cut before a stop string, without EOS), the sampled token ids (including the
 * final EOS when there was one), each token's model log-prob, why it ended, and the feature at its last token.
 */
public record GeneratedCandidate(
    int index, String text, long[] tokenIds, float[] tokenLogProbs, StopReason stopReason, float[] responseFeature) {

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
