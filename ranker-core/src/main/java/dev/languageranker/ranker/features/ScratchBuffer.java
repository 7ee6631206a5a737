package dev.languageranker.ranker.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable direct buffer for packing batches: allocating and zeroing tens of megabytes of direct
 * memory per call measured 25-30 ms per 46 MB, more than the forward pass itself. Not thread-safe;
 * keep one per thread, and use the buffer again only after the arrays made from it are closed.
 */
public final class ScratchBuffer {
  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

  /** A native-order view of exactly {@code bytes} bytes; contents are left over from earlier use. */
  public ByteBuffer acquire(long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw new InvalidFeaturesException("batch too large: " + bytes + " bytes");
    }
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer
          .allocateDirect((int) Math.max(bytes, Math.min(Integer.MAX_VALUE, buffer.capacity() * 3L / 2)));
    }
    return buffer.slice(0, (int) bytes).order(ByteOrder.nativeOrder());
  }
}
