package dev.languageranker.trainer;

import dev.languageranker.answers.selection.Selections;
import dev.languageranker.ranker.eval.Baselines;
import dev.languageranker.ranker.data.TrainingPrompt;

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
    return Selections.anyAnswerKey(Baselines.candidates(prompt)) ? MAJORITY_VOTE : MEAN_LOGPROB;
  }

  static int pick(TrainingPrompt prompt) {
    return Selections.fallback(Baselines.candidates(prompt));
  }

  static int majorityVote(TrainingPrompt prompt) {
    return Selections.majorityVote(Baselines.candidates(prompt));
  }

  static int meanLogProb(TrainingPrompt prompt) {
    return Selections.meanLogProb(Baselines.candidates(prompt));
  }

  static int firstSample(TrainingPrompt prompt) {
    return Selections.firstSample(Baselines.candidates(prompt));
  }

  static int oracle(TrainingPrompt prompt) {
    return Selections.oracle(Baselines.candidates(prompt));
  }

}
