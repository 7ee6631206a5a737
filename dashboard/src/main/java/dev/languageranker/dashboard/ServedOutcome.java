package dev.languageranker.dashboard;

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
        answer.getStrategy().name(), answer.getAnsweredAt().toEpochMilli(), served.getLabel(), first.getLabel(),
        majorityVote(ordered).getLabel(), meanLogProb(ordered).getLabel(),
        ordered.stream().mapToDouble(LabeledCandidate::getLabel).max().orElse(0));
  }

  /**
   * Self-consistency: the most frequent answer key, represented by its first candidate; candidates without a key do
   * not vote; without any key, the first candidate. The same rule as ranker-core's evaluation baseline.
   */
  static LabeledCandidate majorityVote(List<LabeledCandidate> ordered) {
    Map<String, Integer> votes = new HashMap<>();
    Map<String, LabeledCandidate> firstWithKey = new HashMap<>();
    LabeledCandidate best = null;
    int bestVotes = 0;
    for (LabeledCandidate c : ordered) {
      String key = c.getAnswerKey();
      if (key == null) {
        continue;
      }
      firstWithKey.putIfAbsent(key, c);
      int count = votes.merge(key, 1, Integer::sum);
      if (count > bestVotes) {
        bestVotes = count;
        best = firstWithKey.get(key);
      }
    }
    return best == null ? ordered.get(0) : best;
  }

  /** Highest mean token log-prob; ties go to the earlier candidate. */
  static LabeledCandidate meanLogProb(List<LabeledCandidate> ordered) {
    LabeledCandidate best = ordered.get(0);
    for (LabeledCandidate c : ordered) {
      if (c.getLogProbMean() > best.getLogProbMean()) {
        best = c;
      }
    }
    return best;
  }
}
