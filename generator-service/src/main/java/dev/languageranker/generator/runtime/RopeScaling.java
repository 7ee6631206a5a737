package dev.languageranker.generator.runtime;

/**
 * The {@code rope_scaling} entry of {@code config.json}; only Llama 3's frequency-dependent scaling changes the
 * frequencies here ({@code type} or {@code rope_type} "llama3").
 */
public record RopeScaling(
    String type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {

  /** Applies this scaling to the inverse frequencies, as Hugging Face's {@code _compute_llama3_parameters} does. */
  public double[] apply(double[] inverseFrequencies) {
    if (!"llama3".equals(type)) {
      return inverseFrequencies;
    }
    double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
    double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
    double[] scaled = new double[inverseFrequencies.length];
    for (int i = 0; i < scaled.length; i++) {
      double frequency = inverseFrequencies[i];
      double wavelen = 2 * Math.PI / frequency;
      if (wavelen < highFreqWavelen) {
        scaled[i] = frequency;
      } else if (wavelen > lowFreqWavelen) {
        scaled[i] = frequency / factor;
      } else {
        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        scaled[i] = (1 - smooth) * frequency / factor + smooth * frequency;
      }
    }
    return scaled;
  }
}
