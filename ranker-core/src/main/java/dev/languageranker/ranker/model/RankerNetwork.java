package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A ranker's computation: which parameters it has and how features become one score per candidate. */
public interface RankerNetwork {

  RankerConfig config();

  /** Every trainable tensor, in a fixed order. */
  List<ParameterSpec> parameters();

  /**
   * Scores every candidate of a batch of groups.
   *
   * @param features (B, 1 + K, featureDim): the instruction at position 0, then the candidates
   * @param mask (B, K): 1 for real candidates, 0 for padding
   * @return (B, K) scores; entries at padding are meaningless and must be masked by the caller
   */
  NDArray scores(RankerWeights weights, NDArray features, NDArray mask);

  /**
   * Multiply-add FLOPs (2 per multiply-add) of one forward pass over a group of {@code k}
   * candidates, counting matrix products only (elementwise work is a few percent at these sizes).
   */
  long forwardFlops(int k);

  static RankerNetwork of(RankerConfig config) {
    switch (config.architecture()) {
      case LISTWISE:
        return new ListwiseRanker(config);
      case POINTWISE:
        return new PointwiseRanker(config);
      default:
        throw new IllegalArgumentException("unknown architecture " + config.architecture());
    }
  }

  default long parameterCount() {
    return parameters().stream().mapToLong(ParameterSpec::size).sum();
  }
}
