package dev.languageranker.ranker.eval;

/** Ways to pick one candidate of a group: the ranker and the baselines it is compared against. */
public enum SelectionStrategy {
  RANKER("holdout"), FIRST_SAMPLE("first_sample"), MAJORITY_VOTE("majority_vote"), MEAN_LOGPROB("mean_logprob"), ORACLE(
      "oracle");

  private final String metricPrefix;

  SelectionStrategy(String metricPrefix) {
    this.metricPrefix = metricPrefix;
  }

  public String metricPrefix() {
    return metricPrefix;
  }
}
