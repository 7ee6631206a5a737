package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.List;

/** Layer normalisation over the last axis with a learned gain and shift. */
final class LayerNormLayer {
  private static final float EPSILON = 1e-5f;
  private final String gamma;
  private final String beta;
  private final int width;

  LayerNormLayer(String name, int width) {
    this.gamma = name + ".gamma";
    this.beta = name + ".beta";
    this.width = width;
  }

  List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.constant(gamma, 1f, width), ParameterSpec.constant(beta, 0f, width));
  }

  NDArray forward(RankerWeights weights, NDArray x) {
    return LayerNorm.layerNorm(x, new Shape(width), weights.get(gamma), weights.get(beta), EPSILON).singletonOrThrow();
  }
}
