package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.List;

/** y = x W^T + b over the last axis (weight stored as (out, in), as PyTorch does). */
final class LinearLayer {
  private final String weight;
  private final String bias;
  private final int in;
  private final int out;

  LinearLayer(String name, int in, int out) {
    this.weight = name + ".weight";
    this.bias = name + ".bias";
    this.in = in;
    this.out = out;
  }

  List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.xavier(weight, out, in), ParameterSpec.constant(bias, 0f, out));
  }

  NDArray forward(RankerWeights weights, NDArray x) {
    return Linear.linear(x, weights.get(weight), weights.get(bias)).singletonOrThrow();
  }
}
