package dev.languageranker.trainer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded percentile bootstrap over requests. Stands in for ranker-core's {@code eval.BootstrapInterval} until that
 * reaches this branch; same contract (same resample indices for both sides of a paired difference).
 */
final class PercentileBootstrap implements IntervalEstimator {
  private final int resamples;
  private final double confidence;
  private final long seed;

  PercentileBootstrap(int resamples, double confidence, long seed) {
    if (resamples < 1 || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("need resamples >= 1 and 0 < confidence < 1");
    }
    this.resamples = resamples;
    this.confidence = confidence;
    this.seed = seed;
  }

  @Override
  public Estimate mean(double[] perRequest) {
    return pairedDifference(perRequest, new double[perRequest.length]);
  }

  @Override
  public Estimate pairedDifference(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired arrays differ in length: " + a.length + " vs " + b.length);
    }
    int n = a.length;
    if (n == 0) {
      return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0, resamples, confidence);
    }
    double[] d = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      d[i] = a[i] - b[i];
      sum += d[i];
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += d[random.nextInt(n)];
      }
      means[r] = s / n;
    }
    Arrays.sort(means);
    double alpha = (1 - confidence) / 2;
    return new Estimate(sum / n, quantile(means, alpha), quantile(means, 1 - alpha), n, resamples, confidence);
  }

  private static double quantile(double[] sorted, double q) {
    int index = (int) Math.floor(q * (sorted.length - 1));
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
