package dev.languageranker.ranker.loss;

import ai.djl.ndarray.NDArray;

/** A training objective over a batch of scored groups. */
public interface RankingLoss {

  /**
   * @param scores (B, K) ranker scores
   * @param labels (B, K) labels (0/1 or real-valued)
   * @param mask (B, K) 1 for real candidates, 0 for padding
   * @return scalar loss, averaged over groups (listwise) or candidates (pointwise)
   */
  NDArray compute(NDArray scores, NDArray labels, NDArray mask);

  static RankingLoss of(LossKind kind) {
    switch (kind) {
      case LISTWISE_KL :
        return new ListwiseKlLoss();
      case POINTWISE_BCE :
        return new PointwiseBceLoss();
      case MSE :
        return new MseLoss();
      default :
        throw new IllegalArgumentException("unknown loss " + kind);
    }
  }
}
