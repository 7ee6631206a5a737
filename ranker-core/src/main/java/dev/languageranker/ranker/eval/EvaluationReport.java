package dev.languageranker.ranker.eval;

import java.util.Map;

/**
 * Held-out metrics. Binary labels: {@code <strategy>_accuracy}, the fraction of groups whose
 * selected candidate is correct. Real labels: {@code <strategy>_mean_label}. Plus
 * {@code holdout_groups} and {@code holdout_prompts}.
 */
public record EvaluationReport(Map<String, Double> metrics) {

  public EvaluationReport {
    metrics = Map.copyOf(metrics);
  }

  public double get(String name) {
    Double value = metrics.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
    }
    return value;
  }
}
