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
  private final SideFeatureLayer side;

  public PointwiseRanker(RankerConfig config) {
    this.config = config;
    this.projection = new LinearLayer("projection", config.featureDim(), config.projectionDim());
    this.side = config.usesSideFeatures() ? new SideFeatureLayer(config.sideFeatures().size(), config.projectionDim()) : null;
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
    if (side != null) {
      specs.addAll(side.parameters());
    }
    return specs;
  }

  @Override
  public long forwardFlops(int k) {
    long tokens = k + 1L;
    long p = config.projectionDim();
    return 2 * tokens * config.featureDim() * p + 2 * 2 * tokens * p * config.hiddenDim() + 2 * k * p;
  }

  @Override
  public NDArray scores(RankerWeights weights, NDArray features, NDArray sideFeatures, NDArray mask) {
    NDArray x = projection.forward(weights, features);
    if (side != null) {
      if (sideFeatures == null || sideFeatures.getShape().get(2) != side.features()) {
        throw new IllegalArgumentException("this ranker reads side features " + config.sideFeatures() + "; got "
            + (sideFeatures == null ? "none" : sideFeatures.getShape().toString()));
      }
      // A candidate's own side features only: the score still does not depend on the rest of the group's vectors
      // (the side features themselves are computed within the group).
      NDArray responses = x.get(new NDIndex(":, 1:, :")).add(side.embed(weights, sideFeatures));
      x = x.get(new NDIndex(":, :1, :")).concat(responses, 1);
    }
    x = block.forward(weights, x);
    NDArray scores = head.forward(weights, x.get(new NDIndex(":, 0, :")), x.get(new NDIndex(":, 1:, :")));
    return side == null ? scores : side.combine(weights, scores, sideFeatures);
  }
}
