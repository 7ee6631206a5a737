package dev.languageranker.ranker.data;

/**
 * One prompt of a training set: where its vectors are and what is known about each candidate.
 *
 * @param instructionRow row of the instruction vector in the set's feature table; candidate k is at
 *     instructionRow + 1 + k
 * @param answerKeys extracted answer per candidate for the majority-vote baseline; entries may be null
 */
public record TrainingPrompt(String requestId, long instructionRow, float[] labels, float[] logProbMeans, String[] answerKeys) {

  public TrainingPrompt {
    if (requestId == null || requestId.isEmpty()) {
      throw new IllegalArgumentException("a training prompt needs a request id");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("prompt " + requestId + " has no candidates");
    }
    if (logProbMeans.length != labels.length || answerKeys.length != labels.length) {
      throw new IllegalArgumentException("prompt " + requestId + ": labels, log-probs and answer keys differ in length");
    }
  }

  public int candidateCount() {
    return labels.length;
  }

  public long responseRow(int candidate) {
    return instructionRow + 1 + candidate;
  }
}
