package dev.languageranker.generator.runtime;

import ai.djl.Device;

/**
 * How a model is served: the device ({@code cpu}, {@code gpu}, {@code gpu:1}), the compute dtype, and which layer
 * the features come from (an explicit layer, or a fraction of the depth, 0.6 by default).
 */
public record RuntimeOptions(String device, String dtype, double layerFraction, Integer featureLayer) {

  public static final double DEFAULT_LAYER_FRACTION = 0.6;

  public RuntimeOptions {
    if (layerFraction <= 0 || layerFraction > 1) {
      throw new IllegalArgumentException("layerFraction must be in (0, 1], got " + layerFraction);
    }
  }

  /** CPU, float32, layer fraction 0.6. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions("cpu", "float32", DEFAULT_LAYER_FRACTION, null);
  }

  public RuntimeOptions withFeatureLayer(Integer layer) {
    return new RuntimeOptions(device, dtype, layerFraction, layer);
  }

  public RuntimeOptions withLayerFraction(double fraction) {
    return new RuntimeOptions(device, dtype, fraction, featureLayer);
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
