package dev.languageranker.ranker.answers;

import java.time.Duration;

/**
 * A per-verdict time limit that parsing and evaluation check as they go, so a pathological answer ends as
 * {@link UnparseableAnswerException} instead of occupying a worker: cheaper than a thread per verdict.
 */
public final class Deadline {
  private final long endNanos;
  private final Duration limit;
  private int calls;

  private Deadline(Duration limit) {
    this.limit = limit;
    this.endNanos = System.nanoTime() + limit.toNanos();
  }

  /** A deadline {@code limit} from now. */
  public static Deadline after(Duration limit) {
    return new Deadline(limit);
  }

  /** Throws when the time is up; reads the clock only every 64th call, because it is called per node. */
  public void check() {
    if ((++calls & 63) == 0 && System.nanoTime() - endNanos > 0) {
      throw UnparseableAnswerException.limit("time limit of " + limit.toMillis() + " ms exceeded");
    }
  }

  /** Throws when the time is up, reading the clock now (before an expensive step). */
  public void checkNow() {
    if (System.nanoTime() - endNanos > 0) {
      throw UnparseableAnswerException.limit("time limit of " + limit.toMillis() + " ms exceeded");
    }
  }
}
