package dev.languageranker.ranker.side;

/**
 * What the pipeline knows about each candidate of one group besides its hidden state, in the group's
 * order: the side features are computed from these.
 *
 * @param answerKeys normalized final answer per candidate (null entries: no answer); the array may be null when the task has none
 * @param logProbMeans mean token log-prob per candidate
 * @param tokenCounts response tokens per candidate; null when unknown (old shards), see {@link SideFeature#LENGTH_Z}
 */
public record CandidateSignals(String[] answerKeys, float[] logProbMeans, int[] tokenCounts) {

  public CandidateSignals {
    if (logProbMeans == null) {
      throw new IllegalArgumentException("mean log-probs are required");
    }
    if (answerKeys != null && answerKeys.length != logProbMeans.length) {
      throw new IllegalArgumentException(
          "answer keys and log-probs differ in length: " + answerKeys.length + " and " + logProbMeans.length);
    }
    if (tokenCounts != null && tokenCounts.length != logProbMeans.length) {
      throw new IllegalArgumentException(
          "token counts and log-probs differ in length: " + tokenCounts.length + " and " + logProbMeans.length);
    }
  }

  /** Candidates in the group. */
  public int size() {
    return logProbMeans.length;
  }
}
