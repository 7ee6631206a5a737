package dev.languageranker.trainer;

import dev.languageranker.ranker.data.TrainingPrompt;
import java.util.HashMap;
import java.util.Map;

/**
 * What a ranker service picks for a request when its ranker has no version, by the same rule: a majority vote over
 * answer keys when any candidate has one (ties to the higher mean log-prob, then the lower index), otherwise the
 * highest mean log-prob. The labeler extracts answer keys with the same normalization the ranker service uses, so
 * the keys stored with an example are the ones the ranker service would have voted with.
 */
final class FallbackChoice {
  /** Metric name of the majority-vote strategy. */
  static final String MAJORITY_VOTE = "majority_vote";
  /** Metric name of the mean log-prob strategy. */
  static final String MEAN_LOGPROB = "mean_logprob";

  private FallbackChoice() {}

  /** The strategy the ranker service falls back to for this request. */
  static String strategyFor(TrainingPrompt prompt) {
    for (String key : prompt.answerKeys()) {
      if (key != null) {
        return MAJORITY_VOTE;
      }
    }
    return MEAN_LOGPROB;
  }

  static int pick(TrainingPrompt prompt) {
    return strategyFor(prompt).equals(MAJORITY_VOTE) ? majorityVote(prompt) : meanLogProb(prompt);
  }

  static int majorityVote(TrainingPrompt prompt) {
    String[] keys = prompt.answerKeys();
    Map<String, Integer> votes = new HashMap<>();
    for (String key : keys) {
      if (key != null) {
        votes.merge(key, 1, Integer::sum);
      }
    }
    if (votes.isEmpty()) {
      return meanLogProb(prompt);
    }
    int best = 0;
    for (int i = 1; i < keys.length; i++) {
      int vi = keys[i] == null ? 0 : votes.get(keys[i]);
      int vb = keys[best] == null ? 0 : votes.get(keys[best]);
      if (vi > vb || (vi == vb && prompt.logProbMeans()[i] > prompt.logProbMeans()[best])) {
        best = i;
      }
    }
    return best;
  }

  static int meanLogProb(TrainingPrompt prompt) {
    int best = 0;
    for (int i = 1; i < prompt.candidateCount(); i++) {
      if (prompt.logProbMeans()[i] > prompt.logProbMeans()[best]) {
        best = i;
      }
    }
    return best;
  }
}
