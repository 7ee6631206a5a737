package dev.languageranker.answers.selection;

/**
 * One candidate as the selection strategies see it.
 *
 * @param index the candidate's index within its request, in sampling order (0 is the first sample)
 * @param answerKey the normalized extracted answer, or null when the task has no extractor or none was found
 * @param meanLogProb the candidate's mean token log-prob
 * @param label the candidate's label when known (higher is better), NaN when not
 */
public record SelectionCandidate(int index, String answerKey, double meanLogProb, double label) {

  /** A candidate whose label is not known (what a ranker service sees). */
  public static SelectionCandidate unlabeled(int index, String answerKey, double meanLogProb) {
    return new SelectionCandidate(index, answerKey, meanLogProb, Double.NaN);
  }
}
