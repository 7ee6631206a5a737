package dev.languageranker.ranker.side;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the side features of one group's candidates, exactly the same way in training, evaluation
 * and serving, so a ranker sees at serving time what it learned from:
 *
 * <ul>
 *   <li>{@code vote_share}: candidates sharing the key / K; a candidate without a key counts as its own singleton (1 / K);
 *   <li>{@code logprob_z}: (lp - mean) / std over the group, 0 when the group's log-probs are all equal;
 *   <li>{@code length_z}: log(1 + tokens) standardized the same way; 0 for the whole group when any length is unknown
 *       (negative count, or no counts at all, as in version-1 shards).
 * </ul>
 */
public final class SideFeatures {
  // Below this spread a group's values are treated as equal: standardizing would amplify rounding noise.
  private static final double MIN_SPREAD = 1e-6;

  private SideFeatures() {}

  /**
   * @param selected which features, in output order
   * @return [candidate][feature] of the group
   */
  public static float[][] compute(List<SideFeature> selected, CandidateSignals signals) {
    int k = signals.size();
    float[][] out = new float[k][selected.size()];
    for (int f = 0; f < selected.size(); f++) {
      float[] column = switch (selected.get(f)) {
        case VOTE_SHARE -> voteShares(signals.answerKeys(), k);
        case LOGPROB_Z -> standardized(toDouble(signals.logProbMeans()));
        case LENGTH_Z -> lengths(signals.tokenCounts(), k);
      };
      for (int c = 0; c < k; c++) {
        out[c][f] = column[c];
      }
    }
    return out;
  }

  /** Vote share per candidate; see the class comment. */
  public static float[] voteShares(String[] answerKeys, int k) {
    float[] shares = new float[k];
    Map<String, Integer> votes = new HashMap<>();
    if (answerKeys != null) {
      for (String key : answerKeys) {
        if (key != null) {
          votes.merge(key, 1, Integer::sum);
        }
      }
    }
    for (int c = 0; c < k; c++) {
      String key = answerKeys == null ? null : answerKeys[c];
      shares[c] = (key == null ? 1 : votes.get(key)) / (float) k;
    }
    return shares;
  }

  private static float[] lengths(int[] tokenCounts, int k) {
    if (tokenCounts == null) {
      return new float[k];
    }
    double[] logs = new double[k];
    for (int c = 0; c < k; c++) {
      if (tokenCounts[c] < 0) {
        return new float[k];
      }
      logs[c] = Math.log1p(tokenCounts[c]);
    }
    return standardized(logs);
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** (x - mean) / population std; all zeros when the spread is below {@link #MIN_SPREAD} or a value is not finite. */
  static float[] standardized(double[] values) {
    int k = values.length;
    double mean = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return new float[k];
      }
      mean += v;
    }
    mean /= k;
    double variance = 0;
    for (double v : values) {
      variance += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(variance / k);
    float[] out = new float[k];
    if (std < MIN_SPREAD) {
      return out;
    }
    for (int c = 0; c < k; c++) {
      out[c] = (float) ((values[c] - mean) / std);
    }
    return out;
  }
}
