package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A ranker of side features alone: a learned linear score over a candidate's (standardized) side features. It ignores
 * the hidden states, and is the reference that shows what a hidden-state ranker adds on top of self-consistency and
 * confidence.
 */
final class SideFeatureRanker implements RankerNetwork {
  private final RankerConfig config;

  SideFeatureRanker(RankerConfig config) {
    this.config = config;
  }

  @Override
  public RankerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.constant(SideFeatureLayer.SCORE, 0f, 1, config.sideFeatures().size()));
  }

  @Override
  public NDArray scores(RankerWeights weights, NDArray features, NDArray side, NDArray mask) {
    SideFeatureLayer.require(config, side);
    return side.matMul(weights.get(SideFeatureLayer.SCORE).transpose()).squeeze(-1);
  }

  @Override
  public long forwardFlops(int k) {
    return 2L * k * config.sideFeatures().size();
  }
}
