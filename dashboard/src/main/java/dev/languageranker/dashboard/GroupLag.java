package dev.languageranker.dashboard;

import java.util.List;

/**
 * A consumer group's lag over all its topics; its status is the worst of its topics'. {@code state} is the group
 * state the broker reports (Stable, Empty, ...), or {@code Gone} for a group that is no longer listed and is shown
 * with its last lag.
 */
public record GroupLag(String group, String state, int members, List<TopicLag> topics, LagStatus status,
    long sumLag, long maxLag, double maxLagSeconds) {

  public static final String GONE = "Gone";
}
