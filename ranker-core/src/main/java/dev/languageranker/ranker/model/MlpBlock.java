package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Pre-norm residual MLP block applied to every vector independently: x + feed-forward(norm(x)). */
final class MlpBlock {
  private final LayerNormLayer norm;
  private final FeedForwardLayer feedForward;

  MlpBlock(String name, int width, int hidden) {
    this.norm = new LayerNormLayer(name + ".norm", width);
    this.feedForward = new FeedForwardLayer(name + ".ffn", width, hidden);
  }

  List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = new ArrayList<>(norm.parameters());
    specs.addAll(feedForward.parameters());
    return specs;
  }

  NDArray forward(RankerWeights weights, NDArray x) {
    return x.add(feedForward.forward(weights, norm.forward(weights, x)));
  }
}
