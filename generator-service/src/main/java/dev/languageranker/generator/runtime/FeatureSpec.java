package dev.languageranker.generator.runtime;

import dev.languageranker.ranker.features.FeaturePooling;

/**
 * Where features come from and how they are shaped: {@code hidden_states[layer]}, of {@code dim} floats, the response
 * feature pooled over its tokens by {@code pooling}.
 */
public record FeatureSpec(int layer, int dim, String dtype, FeaturePooling pooling) {

  /** Last-token features. */
  public FeatureSpec(int layer, int dim, String dtype) {
    this(layer, dim, dtype, FeaturePooling.LAST);
  }
}
