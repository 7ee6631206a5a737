package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** A ranker's computation: which parameters it has and how features become one score per candidate. */
public interface RankerNetwork {

  /** The name of the side features' linear score weights, (1, S), in every network that reads side features. */
  String SIDE_SCORE_WEIGHT = SideFeatureLayer.SCORE;

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
  default NDArray scores(RankerWeights weights, NDArray features, NDArray mask) {
    return scores(weights, features, null, mask);
  }

  /**
   * Scores every candidate of a batch of groups, with side features when the ranker reads them.
   *
   * @param side (B, K, S) standardized side features in {@link RankerConfig#sideFeatures()} order; null for a pure
   *     hidden-state ranker (required otherwise)
   */
  NDArray scores(RankerWeights weights, NDArray features, NDArray side, NDArray mask);

  /**
   * Multiply-add FLOPs (2 per multiply-add) of one forward pass over a group of {@code k}
   * candidates, counting matrix products only (elementwise work is a few percent at these sizes).
   */
  long forwardFlops(int k);

  static RankerNetwork of(RankerConfig config) {
    if (!config.hiddenStates()) {
      return new SideFeatureRanker(config);
    }
    switch (config.architecture()) {
      case LISTWISE :
        return new ListwiseRanker(config);
      case POINTWISE :
        return new PointwiseRanker(config);
      default :
        throw new IllegalArgumentException("unknown architecture " + config.architecture());
    }
  }

  default long parameterCount() {
    return parameters().stream().mapToLong(ParameterSpec::size).sum();
  }
}
