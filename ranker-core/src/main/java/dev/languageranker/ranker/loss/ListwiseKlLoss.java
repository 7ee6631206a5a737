package dev.languageranker.ranker.loss;

import ai.djl.ndarray.NDArray;

/** KL(pi_y || softmax(s)) per group, pi_y = y / sum(y) over the group's real candidates; mean over groups. */
public final class ListwiseKlLoss implements RankingLoss {
  private static final float MASKED = -1e9f;
  private static final float TINY = 1e-12f;

  @Override
  public NDArray compute(NDArray scores, NDArray labels, NDArray mask) {
    NDArray maskedScores = scores.mul(mask).add(mask.neg().add(1f).mul(MASKED));
    NDArray logProbabilities = maskedScores.logSoftmax(-1);
    NDArray positives = labels.mul(mask);
    // Groups without a positive have no target distribution; they contribute zero.
    NDArray total = positives.sum(new int[]{-1}, true);
    NDArray target = positives.div(total.maximum(TINY));
    // 0 * log 0 is taken as 0: the clamp only touches entries whose weight is zero.
    NDArray perGroup = target.mul(target.maximum(TINY).log().sub(logProbabilities)).sum(new int[]{-1});
    return perGroup.mean();
  }
}
