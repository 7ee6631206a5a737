package dev.languageranker.dashboard;

import java.util.Map;

/**
 * A ranker version seen on {@code lr.ranker-models}, without its bundle. A tombstone (the rankerId retired) has
 * version -1.
 */
public record ReleaseInfo(String rankerId, long version, String architecture, long parameterCount, Long previousVersion,
    Long rollbackOf, int trainingExamples, Map<String, Double> metrics, long publishedAt) {

  public boolean retired() {
    return version < 0;
  }
}
