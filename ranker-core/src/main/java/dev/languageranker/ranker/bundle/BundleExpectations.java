package dev.languageranker.ranker.bundle;

import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.model.RankerArchitecture;

/**
 * What a loader requires of a bundle; a null field accepts anything. A ranker service passes the
 * feature layer, dim and pooling its candidates carry and the architecture the release announces.
 */
public record BundleExpectations(Integer featureDim, Integer featureLayer, RankerArchitecture architecture,
    FeaturePooling pooling) {

  /** Any pooling. */
  public BundleExpectations(Integer featureDim, Integer featureLayer, RankerArchitecture architecture) {
    this(featureDim, featureLayer, architecture, null);
  }

  public static BundleExpectations any() {
    return new BundleExpectations(null, null, null, null);
  }

  public static BundleExpectations features(int dim, int layer) {
    return new BundleExpectations(dim, layer, null, null);
  }

  public static BundleExpectations features(int dim, int layer, FeaturePooling pooling) {
    return new BundleExpectations(dim, layer, null, pooling);
  }
}
