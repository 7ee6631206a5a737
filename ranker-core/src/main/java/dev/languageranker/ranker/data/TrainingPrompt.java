package dev.languageranker.ranker.data;

import dev.languageranker.ranker.side.CandidateSignals;

/**
 * One prompt of a training set: where its vectors are and what is known about each candidate.
 *
 * @param instructionRow row of the instruction vector in the set's feature table; candidate k is at
 *     instructionRow + 1 + k
 * @param answerKeys extracted answer per candidate for the majority-vote baseline; entries may be null
 * @param tokenCounts response tokens per candidate, or null when unknown (version-1 shards); an entry of -1 is unknown
 */
public record TrainingPrompt(String requestId, long instructionRow, float[] labels, float[] logProbMeans,
    String[] answerKeys, int[] tokenCounts) {

  public TrainingPrompt {
    if (requestId == null || requestId.isEmpty()) {
      throw new IllegalArgumentException("a training prompt needs a request id");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("prompt " + requestId + " has no candidates");
    }
    if (logProbMeans.length != labels.length || answerKeys.length != labels.length) {
      throw new IllegalArgumentException(
          "prompt " + requestId + ": labels, log-probs and answer keys differ in length");
    }
    if (tokenCounts != null && tokenCounts.length != labels.length) {
      throw new IllegalArgumentException("prompt " + requestId + ": labels and token counts differ in length");
    }
  }

  /** A prompt whose candidates' lengths are unknown. */
  public TrainingPrompt(String requestId, long instructionRow, float[] labels, float[] logProbMeans,
      String[] answerKeys) {
    this(requestId, instructionRow, labels, logProbMeans, answerKeys, null);
  }

  public int candidateCount() {
    return labels.length;
  }

  public long responseRow(int candidate) {
    return instructionRow + 1 + candidate;
  }

  /** The signals of the given candidates (indices into this prompt), in that order, for side features. */
  public CandidateSignals signals(int[] candidates) {
    String[] keys = new String[candidates.length];
    float[] logProbs = new float[candidates.length];
    int[] counts = tokenCounts == null ? null : new int[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      keys[i] = answerKeys[candidates[i]];
      logProbs[i] = logProbMeans[candidates[i]];
      if (counts != null) {
        counts[i] = tokenCounts[candidates[i]];
      }
    }
    return new CandidateSignals(keys, logProbs, counts);
  }
}
