package dev.languageranker.ranker.loss;

import ai.djl.ndarray.NDArray;

/** Mean squared error between the learnable similarity (scaled cosine plus bias) and real-valued labels. */
public final class MseLoss implements RankingLoss {

  @Override
  public NDArray compute(NDArray scores, NDArray labels, NDArray mask) {
    return scores.sub(labels).square().mul(mask).sum().div(mask.sum().maximum(1f));
  }
}
