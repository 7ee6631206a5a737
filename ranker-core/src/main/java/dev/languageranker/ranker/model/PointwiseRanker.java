package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The pointwise Language Ranker: project, then one shared MLP block applied to the instruction and
 * to each candidate independently, score by cosine. A candidate's score does not depend on the
 * others in its group.
 */
public final class PointwiseRanker implements RankerNetwork {
  private final RankerConfig config;
  private final LinearLayer projection;
  private final MlpBlock block;
  private final CosineScoreHead head = new CosineScoreHead();

  public PointwiseRanker(RankerConfig config) {
    this.config = config;
    this.projection = new LinearLayer("projection", config.featureDim(), config.projectionDim());
    this.block = new MlpBlock("mlp", config.projectionDim(), config.hiddenDim());
  }

  @Override
  public RankerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = new ArrayList<>(projection.parameters());
    specs.addAll(block.parameters());
    specs.addAll(head.parameters());
    return specs;
  }

  @Override
  public long forwardFlops(int k) {
    long tokens = k + 1L;
    long p = config.projectionDim();
    return 2 * tokens * config.featureDim() * p + 2 * 2 * tokens * p * config.hiddenDim() + 2 * k * p;
  }

  @Override
  public NDArray scores(RankerWeights weights, NDArray features, NDArray mask) {
    NDArray x = block.forward(weights, projection.forward(weights, features));
    return head.forward(weights, x.get(new NDIndex(":, 0, :")), x.get(new NDIndex(":, 1:, :")));
  }
}
