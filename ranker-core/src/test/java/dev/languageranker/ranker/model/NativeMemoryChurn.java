package dev.languageranker.ranker.model;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Provokes what a badly timed garbage collection does to native memory that only a collectable Java object kept
 * alive: a full collection (direct buffers that became unreachable are freed), then small native blocks are taken
 * and filled with a poison value, so that a tensor still reading freed memory reads the poison. For tests that check
 * that gradients do not depend on when the collector runs ({@link TensorScalars}).
 */
public final class NativeMemoryChurn {
  public static final float POISON = 1e20f;
  private final List<ByteBuffer> held = new ArrayList<>();

  /** Collects, then holds 5,000 poisoned 4-byte blocks until {@link #release}. */
  public void collectAndReuseFreedMemory() throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
      System.gc();
      queue.remove(2_000);
      sentinel.clear();
    }
    Thread.sleep(50); // the reference handler frees the buffers' memory after the collection
    for (int i = 0; i < 5_000; i++) {
      ByteBuffer block = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      block.putFloat(0, POISON);
      held.add(block);
    }
  }

  /** Lets the poisoned blocks go. */
  public void release() {
    held.clear();
  }
}
