package dev.languageranker.ranker.eval;

import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.TrainingPrompt;
import java.util.HashMap;
import java.util.Map;

/**
 * The strategies a ranker is measured against, as per-candidate scores of one group (higher is picked; a
 * {@link TieBreaker} settles equal scores): first sample, majority vote, highest mean log-prob and the oracle.
 */
public final class Baselines {

  private Baselines() {}

  /** The first sampled candidate of the group: 1 for it, 0 for the others. */
  public static double[] firstSample(Group group) {
    double[] scores = new double[group.size()];
    scores[0] = 1;
    return scores;
  }

  /** The candidate's mean token log-prob. */
  public static double[] meanLogProb(TrainingPrompt prompt, Group group) {
    double[] scores = new double[group.size()];
    for (int k = 0; k < group.size(); k++) {
      scores[k] = prompt.logProbMeans()[group.candidates()[k]];
    }
    return scores;
  }

  /**
   * Self-consistency: how many of the group share the candidate's extracted answer; a candidate without an answer
   * scores 0 (it does not vote), so a group without any answer is all ties.
   */
  public static double[] majorityVote(TrainingPrompt prompt, Group group) {
    Map<String, Integer> votes = new HashMap<>();
    for (int c : group.candidates()) {
      String key = prompt.answerKeys()[c];
      if (key != null) {
        votes.merge(key, 1, Integer::sum);
      }
    }
    double[] scores = new double[group.size()];
    for (int k = 0; k < group.size(); k++) {
      String key = prompt.answerKeys()[group.candidates()[k]];
      scores[k] = key == null ? 0 : votes.get(key);
    }
    return scores;
  }

  /** The candidate's label: the best any selector could do (binary: whether any candidate is correct). */
  public static double[] oracle(TrainingPrompt prompt, Group group) {
    double[] scores = new double[group.size()];
    for (int k = 0; k < group.size(); k++) {
      scores[k] = prompt.labels()[group.candidates()[k]];
    }
    return scores;
  }
}
