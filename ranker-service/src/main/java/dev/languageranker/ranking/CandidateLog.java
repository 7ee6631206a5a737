package dev.languageranker.ranking;

import java.util.Map;

/**
 * Reads candidate records back from {@code lr.candidates} by position. The grouper keeps open groups' candidates in
 * memory and only their positions in its state; a task that restarts or moves to another instance reads them back
 * through this.
 */
public interface CandidateLog extends AutoCloseable {
  /**
   * The records at {@code offsets} of {@code partition}, by offset, as their raw bytes. An offset the topic no longer
   * holds (retention) is absent from the result.
   */
  Map<Long, byte[]> read(int partition, long[] offsets);

  @Override
  void close();
}
