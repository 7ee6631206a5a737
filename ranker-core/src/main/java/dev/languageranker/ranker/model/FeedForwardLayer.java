package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/** Two linear layers with a ReLU between them, applied to each vector on its own. */
final class FeedForwardLayer {
  private final LinearLayer up;
  private final LinearLayer down;

  FeedForwardLayer(String name, int width, int hidden) {
    this.up = new LinearLayer(name + ".up", width, hidden);
    this.down = new LinearLayer(name + ".down", hidden, width);
  }

  List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = new ArrayList<>(up.parameters());
    specs.addAll(down.parameters());
    return specs;
  }

  NDArray forward(RankerWeights weights, NDArray x) {
    return down.forward(weights, Activation.relu(up.forward(weights, x)));
  }
}
