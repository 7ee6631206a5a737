package dev.languageranker.ranking;

import dev.languageranker.answers.selection.SelectionCandidate;
import dev.languageranker.answers.selection.Selections;
import dev.languageranker.events.Candidate;
import dev.languageranker.events.Strategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Chooses without a trained ranker, by {@link Selections#fallback}: majority vote, else the highest mean log-prob. */
final class FallbackSelector {
  private final AnswerKeys answerKeys;

  FallbackSelector(AnswerKeys answerKeys) {
    this.answerKeys = answerKeys;
  }

  Selection select(List<Candidate> group) {
    List<SelectionCandidate> candidates = candidates(group, answerKeys);
    double[] scores = new double[group.size()];
    if (!Selections.anyAnswerKey(candidates)) {
      for (int i = 0; i < group.size(); i++) {
        scores[i] = group.get(i).getLogProbMean();
      }
      return new Selection(Selections.noAnswerKey(candidates), scores, Strategy.MEAN_LOG_PROB, null);
    }
    Map<String, Integer> votes = new HashMap<>();
    candidates.stream().filter(c -> c.answerKey() != null).forEach(c -> votes.merge(c.answerKey(), 1, Integer::sum));
    for (int i = 0; i < group.size(); i++) {
      String key = candidates.get(i).answerKey();
      scores[i] = key == null ? 0 : votes.get(key);
    }
    return new Selection(Selections.majorityVote(candidates), scores, Strategy.MAJORITY_VOTE, null);
  }

  /** The group as the selection strategies see it, with each candidate's extracted answer key. */
  static List<SelectionCandidate> candidates(List<Candidate> group, AnswerKeys answerKeys) {
    List<SelectionCandidate> out = new ArrayList<>(group.size());
    for (Candidate c : group) {
      out.add(SelectionCandidate.unlabeled(c.getIndex(), answerKeys.keyOf(c.getTask(), c.getText()).orElse(null),
          c.getLogProbMean()));
    }
    return out;
  }
}
