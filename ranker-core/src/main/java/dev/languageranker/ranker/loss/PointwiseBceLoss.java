package dev.languageranker.ranker.loss;

import ai.djl.ndarray.NDArray;
import dev.languageranker.ranker.model.TensorScalars;

/** Binary cross-entropy of sigmoid(s) against 0/1 labels, averaged over real candidates. */
public final class PointwiseBceLoss implements RankingLoss {

  @Override
  public NDArray compute(NDArray scores, NDArray labels, NDArray mask) {
    // softplus(s) - y*s, written as max(s,0) + log(1 + exp(-|s|)) - y*s so large |s| does not overflow.
    // maximum keeps both operands for the backward pass, so the zero must not be a number overload (see TensorScalars).
    NDArray softplus = scores.maximum(TensorScalars.of(scores, 0f)).add(scores.abs().neg().exp().add(1f).log());
    NDArray perCandidate = softplus.sub(labels.mul(scores));
    return perCandidate.mul(mask).sum().div(mask.sum().maximum(1f));
  }
}
