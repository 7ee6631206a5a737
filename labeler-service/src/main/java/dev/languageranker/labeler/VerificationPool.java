package dev.languageranker.labeler;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The bounded worker pool verification runs in, off the stream threads. At most {@code maxInFlight} jobs are
 * accepted at once; a stream thread that finds it full leaves the work in its pending store and tries again
 * later, which is the labeler's backpressure.
 */
public final class VerificationPool implements AutoCloseable {
  private final ExecutorService executor;
  private final Semaphore slots;
  private final int maxInFlight;

  public VerificationPool(int threads, int maxInFlight) {
    if (threads < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("labeler.workers and labeler.max.in.flight must be at least 1");
    }
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "verifier-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.slots = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
  }

  /**
   * Runs {@code work} and hands its result to {@code done} on the worker thread, if a slot is free.
   *
   * @return false when the pool is full; nothing was submitted
   */
  public <T> boolean trySubmit(Supplier<T> work, Consumer<T> done) {
    if (!slots.tryAcquire()) {
      return false;
    }
    try {
      executor.execute(() -> {
        try {
          done.accept(work.get());
        } finally {
          slots.release();
        }
      });
      return true;
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
  }

  /** Jobs running or queued now. */
  public int inFlight() {
    return maxInFlight - slots.availablePermits();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
