package dev.languageranker.ranker.eval;

import java.util.SplittableRandom;

/**
 * Picks the highest score, breaking exact ties uniformly at random from a seeded stream: a ranker that collapsed to
 * constant scores is then measured as a random pick, not as the first sample. Not thread-safe.
 */
public final class TieBreaker {
  private final SplittableRandom random;

  public TieBreaker(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * The picked position and whether the coin decided between candidates of different labels.
   *
   * @param tiedOnOutcome true when the highest score was shared by candidates whose labels differ
   */
  public record Pick(int position, boolean tiedOnOutcome) {}

  /** Argmax of {@code scores[offset .. offset + count)}, relative to offset. */
  public Pick pick(double[] scores, int offset, int count, double[] labels) {
    double best = Double.NEGATIVE_INFINITY;
    int tied = 0;
    for (int k = 0; k < count; k++) {
      double s = scores[offset + k];
      if (s > best) {
        best = s;
        tied = 1;
      } else if (s == best) {
        tied++;
      }
    }
    int chosen = tied == 1 ? 0 : random.nextInt(tied);
    int position = -1;
    boolean labelsDiffer = false;
    double firstLabel = Double.NaN;
    int seen = 0;
    for (int k = 0; k < count; k++) {
      if (scores[offset + k] == best) {
        if (seen == 0) {
          firstLabel = labels[k];
        } else if (labels[k] != firstLabel) {
          labelsDiffer = true;
        }
        if (seen == chosen) {
          position = k;
        }
        seen++;
      }
    }
    if (position < 0) {
      // Every score was NaN: nothing is comparable, so the pick is random among all.
      position = random.nextInt(count);
      labelsDiffer = true;
    }
    return new Pick(position, tied != 1 && labelsDiffer);
  }
}
