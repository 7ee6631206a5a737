package dev.languageranker.dashboard;

import java.util.List;

/**
 * One edge of the pipeline: a consumer group on one topic, with its lag in records and seconds, rates over the
 * evaluation window, time to catch up and its status.
 *
 * @param consumeRate records/s the group's committed offsets advanced over the window
 * @param produceRate records/s the topic's end offsets advanced over the window (transaction markers included)
 * @param catchUpSeconds lag / (consume - produce); 0 when caught up; {@link #FALLING_BEHIND} or
 *     {@link #KEEPING_UP} (consuming as fast as the topic grows, lag steady) otherwise
 */
public record TopicLag(String group, String topic, List<PartitionLag> partitions, long sumLag, long maxLag,
    double maxLagSeconds, boolean exactSeconds, double consumeRate, double produceRate, double catchUpSeconds,
    LagStatus status) {

  /** Marks {@link #catchUpSeconds} of a group that consumes slower than the topic grows. */
  public static final double FALLING_BEHIND = -1;
  /** Marks {@link #catchUpSeconds} of a group that consumes as fast as the topic grows: its lag holds steady. */
  public static final double KEEPING_UP = -2;
}
