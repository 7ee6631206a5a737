package dev.languageranker.ranking;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.Strategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses without a trained ranker: a majority vote over extracted answers when the task has an extractor and at
 * least one candidate yields an answer (ties go to the higher mean log-prob), otherwise the highest mean log-prob.
 */
final class FallbackSelector {
  private final AnswerKeys answerKeys;

  FallbackSelector(AnswerKeys answerKeys) {
    this.answerKeys = answerKeys;
  }

  Selection select(List<Candidate> group) {
    String[] keys = new String[group.size()];
    Map<String, Integer> votes = new HashMap<>();
    for (int i = 0; i < group.size(); i++) {
      Candidate c = group.get(i);
      Optional<String> key = answerKeys.keyOf(c.getTask(), c.getText());
      if (key.isPresent()) {
        keys[i] = key.get();
        votes.merge(keys[i], 1, Integer::sum);
      }
    }
    double[] scores = new double[group.size()];
    if (votes.isEmpty()) {
      for (int i = 0; i < group.size(); i++) {
        scores[i] = group.get(i).getLogProbMean();
      }
      return new Selection(group.get(argmax(scores, group)).getIndex(), scores, Strategy.MEAN_LOG_PROB, null);
    }
    for (int i = 0; i < group.size(); i++) {
      scores[i] = keys[i] == null ? 0 : votes.get(keys[i]);
    }
    return new Selection(group.get(argmax(scores, group)).getIndex(), scores, Strategy.MAJORITY_VOTE, null);
  }

  /** Highest score; ties broken by higher mean log-prob, then lower index. */
  static int argmax(double[] scores, List<Candidate> group) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]
          || (scores[i] == scores[best] && group.get(i).getLogProbMean() > group.get(best).getLogProbMean())) {
        best = i;
      }
    }
    return best;
  }
}
