package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/** The layers both hidden-state rankers put around their body: projection, side-feature embedding and score, head. */
final class HiddenStateLayers {
  private final RankerConfig config;
  private final LinearLayer projection;
  private final CosineScoreHead head = new CosineScoreHead();
  private final SideFeatureLayer side;

  HiddenStateLayers(RankerConfig config) {
    this.config = config;
    this.projection = new LinearLayer("projection", config.featureDim(), config.projectionDim());
    this.side = config.usesSideFeatures() ? new SideFeatureLayer(config.sideFeatures().size(), config.projectionDim())
        : null;
  }

  /** The projection's, {@code body}'s, the head's, then the side features' parameters: the order weights are kept in. */
  List<ParameterSpec> parameters(List<ParameterSpec> body) {
    List<ParameterSpec> specs = new ArrayList<>(projection.parameters());
    specs.addAll(body);
    specs.addAll(head.parameters());
    if (side != null) {
      specs.addAll(side.parameters());
    }
    return specs;
  }

  /**
   * (B, 1 + K, featureDim) features to (B, 1 + K, projectionDim), each candidate's side-feature embedding added to its
   * vector (its own only: whether the body then mixes candidates is the body's choice).
   */
  NDArray project(RankerWeights weights, NDArray features, NDArray sideFeatures) {
    NDArray x = projection.forward(weights, features);
    if (side == null) {
      return x;
    }
    SideFeatureLayer.require(config, sideFeatures);
    NDArray responses = x.get(new NDIndex(":, 1:, :")).add(side.embed(weights, sideFeatures));
    return x.get(new NDIndex(":, :1, :")).concat(responses, 1);
  }

  /** The body's output, (B, 1 + K, projectionDim), to (B, K) scores. */
  NDArray score(RankerWeights weights, NDArray x, NDArray sideFeatures) {
    NDArray scores = head.forward(weights, x.get(new NDIndex(":, 0, :")), x.get(new NDIndex(":, 1:, :")));
    return side == null ? scores : side.combine(weights, scores, sideFeatures);
  }
}
