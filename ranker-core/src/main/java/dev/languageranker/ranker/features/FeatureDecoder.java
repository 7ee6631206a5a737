package dev.languageranker.ranker.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Turns contiguous little-endian feature bytes into float32 NDArrays in bulk.
 *
 * <p>FLOAT32 and FLOAT16 go straight to the engine (FLOAT16 is widened by PyTorch). BFLOAT16 is
 * widened in the JVM because DJL 0.35.1's PyTorch JNI aborts the whole process on any BFLOAT16
 * tensor (checked: both {@code create(.., BFLOAT16)} and {@code toType(BFLOAT16)} end in
 * "terminate called"). bf16 is the upper half of a float32, so widening is one shift per element;
 * the loop is simple enough for C2 to vectorise, and measured faster than a byte-interleave in
 * PyTorch (concat with zeros and a copy back through a buffer).
 */
public final class FeatureDecoder {

  private FeatureDecoder() {}

  /**
   * Decodes {@code rows * dim} elements of {@code dtype} from {@code source} (position to limit,
   * little-endian) into a float32 array of shape (rows, dim).
   */
  public static NDArray decode(NDManager manager, ByteBuffer source, FeatureDtype dtype, long rows, int dim) {
    long elements = rows * dim;
    long expectedBytes = elements * dtype.bytesPerElement();
    if (source.remaining() != expectedBytes) {
      throw new InvalidFeaturesException(
          "feature block has " + source.remaining() + " bytes, expected " + expectedBytes + " (" + rows + " x " + dim + " x " + dtype + ")");
    }
    Shape shape = new Shape(rows, dim);
    ByteBuffer little = source.slice().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT32:
        return manager.create(little, shape, DataType.FLOAT32);
      case FLOAT16:
        try (NDArray half = manager.create(little, shape, DataType.FLOAT16)) {
          return half.toType(DataType.FLOAT32, false);
        }
      case BFLOAT16:
        return manager.create(widenBfloat16(little, elements), shape, DataType.FLOAT32);
      default:
        throw new IllegalStateException("unhandled dtype " + dtype);
    }
  }

  /**
   * Index of the first row of a (rows, dim) array holding a NaN or infinite value, or -1 when all
   * are finite; one engine pass in the common all-finite case.
   */
  public static long firstNonFiniteRow(NDArray rows) {
    try (NDArray bad = rows.isNaN().logicalOr(rows.isInfinite())) {
      if (!bad.any().getBoolean()) {
        return -1;
      }
      try (NDArray badCounts = bad.toType(DataType.FLOAT32, false).sum(new int[] {1})) {
        float[] counts = badCounts.toFloatArray();
        for (int row = 0; row < counts.length; row++) {
          if (counts[row] > 0) {
            return row;
          }
        }
        return -1;
      }
    }
  }

  private static ByteBuffer widenBfloat16(ByteBuffer little, long elements) {
    if (elements > Integer.MAX_VALUE / 4) {
      throw new InvalidFeaturesException("feature block too large to widen at once: " + elements + " elements");
    }
    int n = (int) elements;
    ShortBuffer halves = little.asShortBuffer();
    ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
    IntBuffer bits = out.asIntBuffer();
    short[] in = new short[Math.min(n, 1 << 16)];
    int[] widened = new int[in.length];
    for (int done = 0; done < n; done += in.length) {
      int len = Math.min(in.length, n - done);
      halves.get(in, 0, len);
      for (int i = 0; i < len; i++) {
        widened[i] = in[i] << 16;
      }
      bits.put(widened, 0, len);
    }
    out.rewind();
    return out;
  }
}
