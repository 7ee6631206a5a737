package dev.languageranker.dashboard;

import dev.languageranker.events.LabeledCandidate;
import java.util.List;

/** Test access to the dashboard's package-private baselines, for the selection consistency test. */
public final class DashboardPicks {
  private DashboardPicks() {}

  public static int majorityVote(List<LabeledCandidate> ordered) {
    return ServedOutcome.majorityVote(ordered).getIndex();
  }

  public static int meanLogProb(List<LabeledCandidate> ordered) {
    return ServedOutcome.meanLogProb(ordered).getIndex();
  }

  public static int firstSample(List<LabeledCandidate> ordered) {
    return ServedOutcome.firstSample(ordered).getIndex();
  }

  public static int oracle(List<LabeledCandidate> ordered) {
    return ServedOutcome.oracle(ordered).getIndex();
  }
}
