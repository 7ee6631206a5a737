package dev.languageranker.ranker.bundle;

import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.side.SideFeatureScaling;
import java.util.List;
import java.util.Map;

/**
 * manifest.json of a model bundle: what the ranker is, what it reads, how it was trained and how
 * it did, and the SHA-256 of its weights file.
 *
 * @param pooling the response feature pooling it reads ({@code last} or {@code mean}); absent in older bundles, which
 *     read {@code last}
 * @param sideFeatures the side features it reads, in order (absent or empty: the pure hidden-state ranker)
 * @param sideFeatureMeans training means of the side features, applied before scoring
 * @param sideFeatureStds training standard deviations of the side features
 * @param hiddenStates false for a side-feature-only ranker; absent (older bundles) means true
 */
public record BundleManifest(
    int formatVersion,
    String rankerId,
    long version,
    RankerArchitecture architecture,
    int featureLayer,
    int featureDim,
    int projectionDim,
    int blocks,
    int heads,
    int hiddenDim,
    long parameterCount,
    Map<String, Object> hyperparameters,
    Map<String, Object> trainingData,
    Map<String, Double> holdoutMetrics,
    String createdAt,
    String weightsFile,
    String weightsSha256,
    String pooling,
    List<String> sideFeatures,
    float[] sideFeatureMeans,
    float[] sideFeatureStds,
    Boolean hiddenStates) {

  public static final int FORMAT_VERSION = 1;
  public static final String WEIGHTS_FILE = "weights.safetensors";

  /** The ranker's shape; an unknown side feature name is an IllegalArgumentException. */
  public RankerConfig rankerConfig() {
    List<SideFeature> side = sideFeatures == null ? List.of() : sideFeatures.stream().map(SideFeature::parse).toList();
    return new RankerConfig(architecture, featureDim, featureLayer, projectionDim, blocks, heads, hiddenDim, side,
        hiddenStates == null || hiddenStates);
  }

  /** The pooling it reads; {@code last} when the manifest predates the field. */
  public FeaturePooling featurePooling() {
    return pooling == null ? FeaturePooling.LAST : FeaturePooling.parse(pooling);
  }

  /** The side features' training statistics, or null without side features. */
  public SideFeatureScaling sideFeatureScaling() {
    int count = sideFeatures == null ? 0 : sideFeatures.size();
    if (count == 0) {
      return null;
    }
    if (sideFeatureMeans == null || sideFeatureStds == null || sideFeatureMeans.length != count
        || sideFeatureStds.length != count) {
      throw new IllegalArgumentException("manifest lists " + count + " side features but not their means and stds");
    }
    return new SideFeatureScaling(sideFeatureMeans, sideFeatureStds);
  }
}
