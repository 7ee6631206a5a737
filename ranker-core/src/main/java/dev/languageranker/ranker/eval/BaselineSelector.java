package dev.languageranker.ranker.eval;

import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.TrainingPrompt;
import java.util.HashMap;
import java.util.Map;

/** Picks a group's candidate by a baseline; returns the position within the group. */
final class BaselineSelector {

  private BaselineSelector() {}

  static int firstSample(Group group) {
    return 0;
  }

  /** Highest mean token log-prob; ties go to the earlier sample. */
  static int meanLogProb(TrainingPrompt prompt, Group group) {
    int best = 0;
    for (int k = 1; k < group.size(); k++) {
      if (prompt.logProbMeans()[group.candidates()[k]] > prompt.logProbMeans()[group.candidates()[best]]) {
        best = k;
      }
    }
    return best;
  }

  /**
   * Self-consistency: the most frequent extracted answer, represented by its first sample;
   * candidates without an answer do not vote; with no answers at all, the first sample.
   */
  static int majorityVote(TrainingPrompt prompt, Group group) {
    Map<String, Integer> votes = new HashMap<>();
    int best = -1;
    int bestVotes = 0;
    for (int k = 0; k < group.size(); k++) {
      String key = prompt.answerKeys()[group.candidates()[k]];
      if (key == null) {
        continue;
      }
      int count = votes.merge(key, 1, Integer::sum);
      if (count > bestVotes) {
        bestVotes = count;
        best = firstWithKey(prompt, group, key);
      }
    }
    return best < 0 ? 0 : best;
  }

  /** The best label in the group (binary: any correct one). */
  static int oracle(TrainingPrompt prompt, Group group) {
    int best = 0;
    for (int k = 1; k < group.size(); k++) {
      if (prompt.labels()[group.candidates()[k]] > prompt.labels()[group.candidates()[best]]) {
        best = k;
      }
    }
    return best;
  }

  private static int firstWithKey(TrainingPrompt prompt, Group group, String key) {
    for (int k = 0; k < group.size(); k++) {
      if (key.equals(prompt.answerKeys()[group.candidates()[k]])) {
        return k;
      }
    }
    throw new IllegalStateException("key " + key + " not in group");
  }
}
