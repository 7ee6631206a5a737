package dev.languageranker.ranker.bundle;

import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import java.util.Map;

/**
 * manifest.json of a model bundle: what the ranker is, what it reads, how it was trained and how
 * it did, and the SHA-256 of its weights file.
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
    String weightsSha256) {

  public static final int FORMAT_VERSION = 1;
  public static final String WEIGHTS_FILE = "weights.safetensors";

  public RankerConfig rankerConfig() {
    return new RankerConfig(architecture, featureDim, featureLayer, projectionDim, blocks, heads, hiddenDim);
  }
}
