package dev.languageranker.dashboard;

import java.util.Map;

/** A training run from {@code lr.training-runs}: its decision and held-out numbers against the champion. */
public record RunInfo(String runId, String rankerId, long candidateVersion, Long championVersion, int trainGroups,
    int holdoutGroups, long durationMs, Map<String, Double> metrics, Map<String, Double> championMetrics,
    String decision, String reason, long startedAt, long finishedAt) {}
