package dev.languageranker.ranker.eval;

import dev.languageranker.answers.selection.SelectionCandidate;
import dev.languageranker.answers.selection.Selections;
import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.TrainingPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strategies a ranker is measured against (first sample, majority vote, mean log-prob, oracle), picked by
 * {@link Selections}; their per-candidate scores only count the groups in which a tie rule decided.
 */
public final class Baselines {

  private Baselines() {}

  /** The group's candidates as {@link Selections} sees them; a candidate's index is its index within the prompt. */
  public static List<SelectionCandidate> candidates(TrainingPrompt prompt, Group group) {
    List<SelectionCandidate> out = new ArrayList<>(group.size());
    for (int c : group.candidates()) {
      out.add(candidate(prompt, c));
    }
    return out;
  }

  /** All of the prompt's candidates as {@link Selections} sees them, labels included (for the oracle). */
  public static List<SelectionCandidate> candidates(TrainingPrompt prompt) {
    List<SelectionCandidate> out = new ArrayList<>(prompt.candidateCount());
    for (int c = 0; c < prompt.candidateCount(); c++) {
      out.add(candidate(prompt, c));
    }
    return out;
  }

  private static SelectionCandidate candidate(TrainingPrompt prompt, int c) {
    return new SelectionCandidate(c, prompt.answerKeys()[c], prompt.logProbMeans()[c], prompt.labels()[c]);
  }

  /** The position within the group of the candidate a strategy picked (by its index within the prompt). */
  public static int position(Group group, int candidateIndex) {
    for (int k = 0; k < group.size(); k++) {
      if (group.candidates()[k] == candidateIndex) {
        return k;
      }
    }
    throw new IllegalArgumentException("candidate " + candidateIndex + " is not in the group");
  }

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
   * scores 0 (it does not vote), so a group without any answer is all ties (Selections then picks by mean log-prob).
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
