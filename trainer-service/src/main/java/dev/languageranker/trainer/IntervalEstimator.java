package dev.languageranker.trainer;

/**
 * Confidence intervals over held-out requests, as the gate needs them: a mean, and a paired difference where both
 * arrays are resampled with the same request indices.
 */
public interface IntervalEstimator {

  /** An estimate with its interval over {@code n} requests. */
  record Estimate(double estimate, double lower, double upper, int n, int resamples, double confidence) {}

  Estimate mean(double[] perRequest);

  /** {@code a - b}, request by request. */
  Estimate pairedDifference(double[] a, double[] b);
}
