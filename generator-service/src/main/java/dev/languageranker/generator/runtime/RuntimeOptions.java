package dev.languageranker.generator.runtime;

import ai.djl.Device;
import dev.languageranker.ranker.features.FeaturePooling;

/**
 * How a model is served: the device ({@code cpu}, {@code gpu}, {@code gpu:1}), the compute dtype, which layer
 * the features come from (an explicit layer, or a fraction of the depth, 0.6 by default), and how a response's
 * hidden states are pooled into its feature ({@code last} token, the default, or {@code mean} over the response).
 */
public record RuntimeOptions(String device, String dtype, double layerFraction, Integer featureLayer,
    FeaturePooling pooling) {

  public static final double DEFAULT_LAYER_FRACTION = 0.6;

  public RuntimeOptions {
    if (layerFraction <= 0 || layerFraction > 1) {
      throw new IllegalArgumentException("layerFraction must be in (0, 1], got " + layerFraction);
    }
    if (pooling == null) {
      pooling = FeaturePooling.LAST;
    }
  }

  /** Last-token pooling. */
  public RuntimeOptions(String device, String dtype, double layerFraction, Integer featureLayer) {
    this(device, dtype, layerFraction, featureLayer, FeaturePooling.LAST);
  }

  /** CPU, float32, layer fraction 0.6, last-token pooling. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions("cpu", "float32", DEFAULT_LAYER_FRACTION, null, FeaturePooling.LAST);
  }

  public RuntimeOptions withFeatureLayer(Integer layer) {
    return new RuntimeOptions(device, dtype, layerFraction, layer, pooling);
  }

  public RuntimeOptions withLayerFraction(double fraction) {
    return new RuntimeOptions(device, dtype, fraction, featureLayer, pooling);
  }

  public RuntimeOptions withPooling(FeaturePooling value) {
    return new RuntimeOptions(device, dtype, layerFraction, featureLayer, value);
  }

  /** The feature layer L for a model of {@code numLayers}: the explicit one, else round(fraction x numLayers). */
  public int resolveFeatureLayer(int numLayers) {
    int layer = featureLayer != null ? featureLayer : (int) Math.round(layerFraction * numLayers);
    if (layer < 1 || layer > numLayers) {
      throw new IllegalArgumentException("Feature layer " + layer + " is outside 1.." + numLayers);
    }
    return layer;
  }

  /** The DJL device named by {@link #device()}. */
  public Device djlDevice() {
    try {
      return Device.fromName(device);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Unknown device '" + device + "'; use cpu, gpu or gpu:N", e);
    }
  }
}
