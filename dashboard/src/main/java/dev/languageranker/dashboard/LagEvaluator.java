package dev.languageranker.dashboard;

import java.time.Duration;
import java.util.List;

/**
 * Burrow's consumer-lag evaluation on a sliding window of offset samples of one partition. Burrow reads commit
 * timestamps from {@code __consumer_offsets}; the admin API we use does not expose them, so a commit is observed as
 * a change of the committed offset, and whether anyone is left to commit comes from the group's members.
 *
 * <ol>
 *   <li>Lag zero in any sample of the window: OK (the group caught up at least once).
 *   <li>No member, and the committed offset unchanged for longer than the window: STOP.
 *   <li>Committed offset unchanged over the whole window, lag above zero: STALL.
 *   <li>Offsets moving, but the lag never decreased from one sample to the next: WARN (not catching up).
 *   <li>Otherwise OK.
 * </ol>
 * A window shorter than half its nominal length (a fresh start) only yields OK or STOP: too few samples to judge.
 */
public final class LagEvaluator {
  private final Duration window;

  public LagEvaluator(Duration window) {
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("the evaluation window must be positive");
    }
    this.window = window;
  }

  public Duration window() {
    return window;
  }

  /**
   * Evaluates one partition.
   *
   * @param samples the samples inside the window, oldest first
   * @param lastCommitChangeMillis when the committed offset was last seen to change (or first seen)
   * @param hasMembers whether the group has members now
   */
  public LagStatus evaluate(List<PartitionSample> samples, long nowMillis, long lastCommitChangeMillis,
      boolean hasMembers) {
    if (samples.isEmpty()) {
      return LagStatus.OK;
    }
    if (samples.stream().anyMatch(s -> s.lag() == 0)) {
      return LagStatus.OK;
    }
    if (!hasMembers && nowMillis - lastCommitChangeMillis > window.toMillis()) {
      return LagStatus.STOP;
    }
    PartitionSample first = samples.get(0);
    PartitionSample last = samples.get(samples.size() - 1);
    if (last.atMillis() - first.atMillis() < window.toMillis() / 2 || samples.size() < 3) {
      return LagStatus.OK;
    }
    if (first.committed() == last.committed()) {
      return LagStatus.STALL;
    }
    for (int i = 1; i < samples.size(); i++) {
      if (samples.get(i).lag() < samples.get(i - 1).lag()) {
        return LagStatus.OK;
      }
    }
    return LagStatus.WARN;
  }
}
