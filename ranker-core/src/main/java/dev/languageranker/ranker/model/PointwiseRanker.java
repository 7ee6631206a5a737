package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The pointwise Language Ranker: project, then one shared MLP block applied to the instruction and
 * to each candidate independently, score by cosine. A candidate's score does not depend on the
 * others in its group.
 */
public final class PointwiseRanker implements RankerNetwork {
  private final RankerConfig config;
  private final HiddenStateLayers layers;
  private final MlpBlock block;

  public PointwiseRanker(RankerConfig config) {
    this.config = config;
    this.layers = new HiddenStateLayers(config);
    this.block = new MlpBlock("mlp", config.projectionDim(), config.hiddenDim());
  }

  @Override
  public RankerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return layers.parameters(block.parameters());
  }

  @Override
  public long forwardFlops(int k) {
    long tokens = k + 1L;
    long p = config.projectionDim();
    return 2 * tokens * config.featureDim() * p + 2 * 2 * tokens * p * config.hiddenDim() + 2 * k * p;
  }

  @Override
  public NDArray scores(RankerWeights weights, NDArray features, NDArray sideFeatures, NDArray mask) {
    // A candidate's own side features only: the score still does not depend on the rest of the group's vectors
    // (the side features themselves are computed within the group).
    NDArray x = block.forward(weights, layers.project(weights, features, sideFeatures));
    return layers.score(weights, x, sideFeatures);
  }
}
