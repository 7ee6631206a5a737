package dev.languageranker.trainer;

import dev.languageranker.answers.selection.SelectionCandidate;
import dev.languageranker.answers.selection.Selections;
import dev.languageranker.ranker.data.TrainingPrompt;
import java.util.ArrayList;
import java.util.List;

/**
 * What a ranker service picks for a request when its ranker has no version, by the same function,
 * {@link Selections#fallback}. The labeler extracts answer keys with the same normalization the ranker service uses,
 * so the keys stored with an example are the ones the ranker service would have voted with.
 */
final class FallbackChoice {
  /** Metric name of the majority-vote strategy. */
  static final String MAJORITY_VOTE = "majority_vote";
  /** Metric name of the mean log-prob strategy. */
  static final String MEAN_LOGPROB = "mean_logprob";

  private FallbackChoice() {}

  /** The strategy the ranker service falls back to for this request. */
  static String strategyFor(TrainingPrompt prompt) {
    return Selections.anyAnswerKey(candidates(prompt)) ? MAJORITY_VOTE : MEAN_LOGPROB;
  }

  static int pick(TrainingPrompt prompt) {
    return Selections.fallback(candidates(prompt));
  }

  static int majorityVote(TrainingPrompt prompt) {
    return Selections.majorityVote(candidates(prompt));
  }

  static int meanLogProb(TrainingPrompt prompt) {
    return Selections.meanLogProb(candidates(prompt));
  }

  static int firstSample(TrainingPrompt prompt) {
    return Selections.firstSample(candidates(prompt));
  }

  static int oracle(TrainingPrompt prompt) {
    return Selections.oracle(candidates(prompt));
  }

  /** All of the request's candidates, as a ranker service sees them (with the labels, for the oracle). */
  static List<SelectionCandidate> candidates(TrainingPrompt prompt) {
    List<SelectionCandidate> out = new ArrayList<>(prompt.candidateCount());
    for (int i = 0; i < prompt.candidateCount(); i++) {
      out.add(new SelectionCandidate(i, prompt.answerKeys()[i], prompt.logProbMeans()[i], prompt.labels()[i]));
    }
    return out;
  }
}
