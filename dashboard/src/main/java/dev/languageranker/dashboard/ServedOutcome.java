package dev.languageranker.dashboard;

import dev.languageranker.answers.selection.SelectionCandidate;
import dev.languageranker.answers.selection.Selections;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.TrainingExample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One answered and labeled request: the label of the candidate that was served, and of those first sample,
 * majority vote, highest mean log-prob and the oracle would have picked on the same candidates. Labels are 0/1 for
 * verified tasks (so means are accuracies) and scores for rated ones.
 */
public record ServedOutcome(String requestId, String rankerId, Long rankerVersion, String strategy, long answeredAt,
    double served, double firstSample, double majorityVote, double meanLogProb, double oracle) {

  /**
   * Joins an answer with its request's labels; null when the served candidate or the first sample has no label
   * (the labeler published the group before labeling them).
   */
  public static ServedOutcome of(RankedAnswer answer, TrainingExample example) {
    Map<Integer, LabeledCandidate> byIndex = new HashMap<>();
    for (LabeledCandidate c : example.getCandidates()) {
      byIndex.put(c.getIndex(), c);
    }
    LabeledCandidate served = byIndex.get(answer.getChosenIndex());
    LabeledCandidate first = byIndex.get(0);
    if (served == null || first == null) {
      return null;
    }
    List<LabeledCandidate> ordered = example.getCandidates().stream()
        .sorted((a, b) -> Integer.compare(a.getIndex(), b.getIndex())).toList();
    return new ServedOutcome(answer.getRequestId(), answer.getRankerId(), answer.getRankerVersion(),
        answer.getStrategy().name(), answer.getAnsweredAt().toEpochMilli(), served.getLabel(),
        firstSample(ordered).getLabel(),
        majorityVote(ordered).getLabel(), meanLogProb(ordered).getLabel(), oracle(ordered).getLabel());
  }

  /** The request's candidates as {@link Selections} sees them, with their labels. */
  static List<SelectionCandidate> candidates(List<LabeledCandidate> ordered) {
    return ordered.stream()
        .map(c -> new SelectionCandidate(c.getIndex(), c.getAnswerKey(), c.getLogProbMean(), c.getLabel())).toList();
  }

  /** Majority vote by {@link Selections#majorityVote}, the ranker service's fallback rule. */
  static LabeledCandidate majorityVote(List<LabeledCandidate> ordered) {
    return byIndex(ordered, Selections.majorityVote(candidates(ordered)));
  }

  /** Highest mean log-prob by {@link Selections#meanLogProb}. */
  static LabeledCandidate meanLogProb(List<LabeledCandidate> ordered) {
    return byIndex(ordered, Selections.meanLogProb(candidates(ordered)));
  }

  /** The first sample by {@link Selections#firstSample}. */
  static LabeledCandidate firstSample(List<LabeledCandidate> ordered) {
    return byIndex(ordered, Selections.firstSample(candidates(ordered)));
  }

  /** The oracle by {@link Selections#oracle}. */
  static LabeledCandidate oracle(List<LabeledCandidate> ordered) {
    return byIndex(ordered, Selections.oracle(candidates(ordered)));
  }

  private static LabeledCandidate byIndex(List<LabeledCandidate> ordered, int index) {
    return ordered.stream().filter(c -> c.getIndex() == index).findFirst().orElseThrow();
  }
}
