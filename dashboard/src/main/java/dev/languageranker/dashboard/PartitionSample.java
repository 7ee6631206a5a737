package dev.languageranker.dashboard;

/** One observation of a group on one partition: its committed offset and the partition's end offset. */
public record PartitionSample(long atMillis, long committed, long end) {

  /** Records the group has still to consume (never negative: a commit can be ahead of a stale end offset). */
  public long lag() {
    return Math.max(0, end - committed);
  }
}
