package dev.languageranker.answers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * A per-verdict time limit that parsing and evaluation check as they go, so a pathological answer ends as
 * {@link UnparseableAnswerException} instead of occupying a worker: cheaper than a thread per verdict. It counts the
 * calling thread's CPU time (wall-clock time where the JVM cannot measure that): the work is pure computation, and on a
 * busy machine wall-clock time would also count the waits for a core, failing ordinary answers.
 */
public final class Deadline {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  private final long endNanos;
  private final Duration limit;
  private int calls;

  private Deadline(Duration limit) {
    this.limit = limit;
    this.endNanos = now() + limit.toNanos();
  }

  /** A deadline {@code limit} of this thread's time from now. */
  public static Deadline after(Duration limit) {
    return new Deadline(limit);
  }

  /** Throws when the time is up; reads the clock only every 64th call, because it is called per node. */
  public void check() {
    if ((++calls & 63) == 0) {
      checkNow();
    }
  }

  /** Throws when the time is up, reading the clock now (before an expensive step). */
  public void checkNow() {
    if (now() - endNanos > 0) {
      throw UnparseableAnswerException.limit("time limit of " + limit.toMillis() + " ms exceeded");
    }
  }

  private static long now() {
    return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }
}
