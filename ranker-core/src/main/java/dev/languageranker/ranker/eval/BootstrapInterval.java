package dev.languageranker.ranker.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap over prompts: resamples the per-prompt values with replacement and reads the
 * interval off the sorted resampled means. A paired difference resamples the same prompts for both
 * arrays, so what the two strategies share (the prompt's difficulty) cancels. Seeded: the same
 * inputs, seed, resamples and confidence give the same interval. Thread-safe (no mutable state).
 *
 * <p>Written by hand rather than taken from a statistics library: it is 60 lines, and the pairing and
 * the seeding are the parts that matter here.
 */
public final class BootstrapInterval {
  public static final int DEFAULT_RESAMPLES = 2_000;
  public static final double DEFAULT_CONFIDENCE = 0.95;

  private final int resamples;
  private final double confidence;
  private final long seed;

  /**
   * @param resamples bootstrap resamples (default 2,000)
   * @param confidence two-sided coverage in (0, 1), e.g. 0.95
   */
  public BootstrapInterval(int resamples, double confidence, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be positive, got " + resamples);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    this.resamples = resamples;
    this.confidence = confidence;
    this.seed = seed;
  }

  /** 2,000 resamples, 95%. */
  public static BootstrapInterval defaults(long seed) {
    return new BootstrapInterval(DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE, seed);
  }

  /**
   * A point estimate with its interval.
   *
   * @param estimate the mean over all prompts (for a paired difference: mean of a minus mean of b)
   * @param lower lower bound of the percentile interval
   * @param upper upper bound
   * @param prompts how many prompts the estimate is over
   */
  public record Estimate(double estimate, double lower, double upper, int prompts, int resamples, double confidence) {

    /** Whether the interval lies entirely above 0 (a significant improvement). */
    public boolean entirelyAboveZero() {
      return lower > 0;
    }

    /** Whether the interval lies entirely below 0 (significantly worse). */
    public boolean entirelyBelowZero() {
      return upper < 0;
    }

    /** Whether 0 lies inside the interval (bounds included). */
    public boolean containsZero() {
      return lower <= 0 && upper >= 0;
    }
  }

  /** The mean of {@code perPrompt} (one value per prompt, e.g. its accuracy over its groups) with its interval. */
  public Estimate mean(double[] perPrompt) {
    requireValues(perPrompt, "perPrompt");
    return resample(perPrompt, null);
  }

  /**
   * The paired difference mean(a) - mean(b) with its interval; {@code a[i]} and {@code b[i]} belong to
   * the same prompt, and every resample draws the same prompts for both.
   */
  public Estimate pairedDifference(double[] a, double[] b) {
    requireValues(a, "a");
    requireValues(b, "b");
    if (a.length != b.length) {
      throw new IllegalArgumentException("paired arrays differ in length: " + a.length + " and " + b.length);
    }
    return resample(a, b);
  }

  private Estimate resample(double[] a, double[] b) {
    int n = a.length;
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = b == null ? a[i] : a[i] - b[i];
    }
    double estimate = Arrays.stream(values).sum() / n;
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[r] = sum / n;
    }
    Arrays.sort(means);
    double tail = (1 - confidence) / 2;
    return new Estimate(estimate, quantile(means, tail), quantile(means, 1 - tail), n, resamples, confidence);
  }

  /** Linear interpolation between order statistics (the "type 7" quantile of R and NumPy's default). */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    double weight = position - below;
    return sorted[below] + weight * (sorted[above] - sorted[below]);
  }

  private static void requireValues(double[] values, String name) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException(name + " must hold at least one prompt's value");
    }
    for (double value : values) {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(name + " holds a non-finite value " + value);
      }
    }
  }
}
