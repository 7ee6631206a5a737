package dev.languageranker.trainer;

import dev.languageranker.events.GateReport;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.eval.BootstrapInterval;
import java.util.Locale;

/**
 * The statistical release gate: the challenger is promoted only when the paired bootstrap interval of its held-out
 * metric minus the champion's, on the same requests, lies above {@code minImprovement}, on at least
 * {@code minHoldoutRequests} requests. Anything missing or not a number keeps the champion (fails closed).
 */
final class ReleaseGate {
  private final GateSettings settings;
  private final BootstrapInterval intervals;

  ReleaseGate(GateSettings settings, BootstrapInterval intervals) {
    this.settings = settings;
    this.intervals = intervals;
  }

  GateReport decide(HoldoutScores scores, Long championVersion) {
    String metric = scores.labelType() == LabelType.BINARY ? "accuracy" : "mean_label";
    String championStrategy = championVersion != null ? "ranker version " + championVersion : scores.championStrategy();
    double[] challenger = scores.perStrategy().get(HoldoutScores.CHALLENGER);
    double[] champion = scores.perStrategy().get(HoldoutScores.CHAMPION);
    GateReport.Builder report = GateReport.newBuilder()
        .setMetric(metric).setChampionStrategy(championStrategy).setChampionVersion(championVersion)
        .setConfidence(settings.confidence()).setResamples(settings.resamples())
        .setMinImprovement(settings.minImprovement()).setMinHoldoutRequests(settings.minHoldoutRequests());
    int n = challenger == null || champion == null ? 0 : challenger.length;
    if (n == 0) {
      return report.setN(0).setChallengerValue(Double.NaN).setChampionValue(Double.NaN).setDifference(Double.NaN)
          .setLower(Double.NaN).setUpper(Double.NaN).setPassed(false)
          .setReason("no held-out requests: kept the champion").build();
    }
    double challengerValue = mean(challenger);
    double championValue = mean(champion);
    report.setN(n).setChallengerValue(challengerValue).setChampionValue(championValue)
        .setDifference(challengerValue - championValue);
    if (!Double.isFinite(challengerValue) || !Double.isFinite(championValue)) {
      return report.setLower(Double.NaN).setUpper(Double.NaN).setPassed(false).setReason(String.format(Locale.ROOT,
          "a held-out metric is not a number (challenger %s, %s %s, n=%d): kept the champion", challengerValue,
          championStrategy, championValue, n)).build();
    }
    BootstrapInterval.Estimate diff = intervals.pairedDifference(challenger, champion);
    report.setDifference(diff.estimate()).setLower(diff.lower()).setUpper(diff.upper());
    String numbers = String.format(Locale.ROOT,
        "%s %.4f vs %s %.4f, difference %+.4f, %.0f%% interval [%+.4f, %+.4f], n=%d",
        "challenger", challengerValue, championStrategy, championValue, diff.estimate(), 100 * settings.confidence(),
        diff.lower(), diff.upper(), n);
    if (!Double.isFinite(diff.lower()) || !Double.isFinite(diff.upper())) {
      return report.setPassed(false).setReason("the interval is not a number (" + numbers + "): kept the champion")
          .build();
    }
    if (n < settings.minHoldoutRequests()) {
      return report.setPassed(false).setReason("only " + n + " held-out requests, fewer than the "
          + settings.minHoldoutRequests() + " required (" + numbers + "): kept the champion").build();
    }
    if (!(diff.lower() > settings.minImprovement())) {
      return report.setPassed(false).setReason(String.format(Locale.ROOT,
          "the interval's lower bound %+.4f is not above the minimum improvement %+.4f (%s): kept the champion",
          diff.lower(), settings.minImprovement(), numbers)).build();
    }
    return report.setPassed(true).setReason(String.format(Locale.ROOT,
        "the interval's lower bound %+.4f is above the minimum improvement %+.4f (%s): promoted",
        diff.lower(), settings.minImprovement(), numbers)).build();
  }

  private static double mean(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }
}
