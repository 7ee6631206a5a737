package dev.languageranker.ranker.side;

import java.util.Arrays;
import java.util.List;

/**
 * Standardization of side features with statistics of the training data: (x - mean) / std per feature. The trainer
 * computes it, the bundle manifest stores it, and inference applies it, so a ranker sees serving inputs on the scale
 * it learned.
 */
public record SideFeatureScaling(float[] means, float[] stds) {
  // A feature that never varied in training (e.g. lengths unknown) is left unscaled rather than blown up.
  private static final float MIN_STD = 1e-4f;

  public SideFeatureScaling {
    if (means.length != stds.length) {
      throw new IllegalArgumentException("side feature means and stds differ in length");
    }
    means = means.clone();
    stds = stds.clone();
    for (int i = 0; i < stds.length; i++) {
      if (!Float.isFinite(means[i]) || !Float.isFinite(stds[i]) || stds[i] <= 0) {
        throw new IllegalArgumentException("side feature scaling needs finite means and positive stds, got mean "
            + means[i] + ", std " + stds[i]);
      }
    }
  }

  /** No scaling for {@code count} features. */
  public static SideFeatureScaling identity(int count) {
    float[] ones = new float[count];
    Arrays.fill(ones, 1f);
    return new SideFeatureScaling(new float[count], ones);
  }

  /** Mean and (population) std of each column over all rows. */
  public static SideFeatureScaling fit(List<float[]> rows, int count) {
    double[] sum = new double[count];
    double[] squares = new double[count];
    for (float[] row : rows) {
      for (int f = 0; f < count; f++) {
        sum[f] += row[f];
        squares[f] += (double) row[f] * row[f];
      }
    }
    float[] means = new float[count];
    float[] stds = new float[count];
    int n = Math.max(1, rows.size());
    for (int f = 0; f < count; f++) {
      double mean = sum[f] / n;
      double variance = Math.max(0, squares[f] / n - mean * mean);
      means[f] = (float) mean;
      stds[f] = (float) Math.max(MIN_STD, Math.sqrt(variance));
    }
    return new SideFeatureScaling(means, stds);
  }

  public int size() {
    return means.length;
  }

  /** Scales one candidate's features in place. */
  public void applyInPlace(float[] features) {
    for (int f = 0; f < means.length; f++) {
      features[f] = (features[f] - means[f]) / stds[f];
    }
  }
}
