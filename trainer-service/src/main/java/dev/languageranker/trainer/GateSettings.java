package dev.languageranker.trainer;

/**
 * The release gate's thresholds.
 *
 * @param minImprovement the interval's lower bound must be above this
 * @param confidence two-sided confidence of the interval
 * @param minHoldoutRequests never promote on fewer held-out requests
 * @param resamples bootstrap resamples
 */
public record GateSettings(double minImprovement, double confidence, int minHoldoutRequests, int resamples) {

  public GateSettings {
    if (!(confidence > 0 && confidence < 1) || minHoldoutRequests < 1 || resamples < 1
        || !Double.isFinite(minImprovement)) {
      throw new IllegalArgumentException(
          "need 0 < confidence < 1, minHoldoutRequests >= 1, resamples >= 1, finite minImprovement");
    }
  }
}
