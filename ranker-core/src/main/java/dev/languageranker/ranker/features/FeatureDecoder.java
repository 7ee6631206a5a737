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
 * <p>FLOAT32 is a bulk copy and FLOAT16 is widened by PyTorch. BFLOAT16 is widened in the JVM
 * because DJL 0.35.1's PyTorch JNI aborts the whole process on any BFLOAT16 tensor (checked: both
 * {@code create(.., BFLOAT16)} and {@code toType(BFLOAT16)} end in "terminate called"). bf16 is the
 * upper half of a float32, so widening is one shift per element, done a vector at a time through
 * small arrays that C2 vectorises; it measured faster than a byte-interleave in PyTorch.
 *
 * <p>DJL's PyTorch engine wraps a direct buffer without copying it (the tensor aliases the memory
 * and keeps the buffer reachable), so every decoded array here gets a buffer of its own unless the
 * caller passes scratch memory it promises not to reuse while the array lives.
 */
public final class FeatureDecoder {
  private static final int CHUNK = 4096;
  private static final ThreadLocal<short[]> HALVES = ThreadLocal.withInitial(() -> new short[CHUNK]);
  private static final ThreadLocal<int[]> WIDENED = ThreadLocal.withInitial(() -> new int[CHUNK]);

  private FeatureDecoder() {}

  /**
   * Decodes {@code rows * dim} elements of {@code dtype} from {@code source} (position to limit,
   * little-endian) into a new float32 array of shape (rows, dim) with its own memory.
   */
  public static NDArray decode(NDManager manager, ByteBuffer source, FeatureDtype dtype, long rows, int dim) {
    long elements = rows * dim;
    long expectedBytes = elements * dtype.bytesPerElement();
    if (source.remaining() != expectedBytes) {
      throw new InvalidFeaturesException(
          "feature block has " + source.remaining() + " bytes, expected " + expectedBytes + " (" + rows + " x " + dim
              + " x " + dtype + ")");
    }
    if (elements * 4 > Integer.MAX_VALUE) {
      throw new InvalidFeaturesException("feature block too large to decode at once: " + elements + " elements");
    }
    Shape shape = new Shape(rows, dim);
    ByteBuffer little = source.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == FeatureDtype.FLOAT16) {
      // PyTorch converts into a tensor of its own, so the half-precision input may be the caller's memory.
      ByteBuffer half = little.isDirect() ? little : copyToDirect(little);
      try (NDArray halfArray = manager.create(half, shape, DataType.FLOAT16)) {
        return halfArray.toType(DataType.FLOAT32, false);
      }
    }
    ByteBuffer out = ByteBuffer.allocateDirect((int) (elements * 4)).order(ByteOrder.nativeOrder());
    writeFloat32(little, dtype, out, 0);
    return manager.create(out, shape, DataType.FLOAT32);
  }

  /**
   * Writes the FLOAT32 or BFLOAT16 elements of {@code source} (position to limit, little-endian)
   * as native-order float32 into {@code target} from byte {@code targetOffset}, without moving
   * either buffer's position; safe for concurrent writers to disjoint regions.
   */
  public static void writeFloat32(ByteBuffer source, FeatureDtype dtype, ByteBuffer target, int targetOffset) {
    int start = source.position();
    int bytes = source.remaining();
    if (dtype == FeatureDtype.FLOAT32) {
      target.put(targetOffset, source, start, bytes);
      return;
    }
    if (dtype != FeatureDtype.BFLOAT16) {
      throw new IllegalArgumentException("writeFloat32 handles FLOAT32 and BFLOAT16, not " + dtype);
    }
    short[] halves = HALVES.get();
    int[] widened = WIDENED.get();
    ShortBuffer in = source.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    IntBuffer out = target.duplicate().order(ByteOrder.nativeOrder()).asIntBuffer();
    int elements = bytes / 2;
    int outIndex = targetOffset / 4;
    for (int done = 0; done < elements; done += CHUNK) {
      int len = Math.min(CHUNK, elements - done);
      in.get(done, halves, 0, len);
      for (int i = 0; i < len; i++) {
        widened[i] = halves[i] << 16;
      }
      out.put(outIndex + done, widened, 0, len);
    }
  }

  /**
   * Index of the first row of a (rows, dim) array holding a NaN or infinite value, or -1 when all
   * are finite. The common all-finite case costs one sum: a sum of finite values is finite unless
   * they are astronomically large, and only then is the slower row-wise search run.
   */
  public static long firstNonFiniteRow(NDArray rows) {
    try (NDArray total = rows.sum()) {
      if (Float.isFinite(total.getFloat())) {
        return -1;
      }
    }
    // Row sums in float64 cannot overflow for float32 inputs, so a non-finite row sum means NaN or Inf.
    try (NDArray wide = rows.toType(DataType.FLOAT64, false); NDArray rowSums = wide.sum(new int[]{1})) {
      double[] sums = rowSums.toDoubleArray();
      for (int row = 0; row < sums.length; row++) {
        if (!Double.isFinite(sums[row])) {
          return row;
        }
      }
      return -1;
    }
  }

  private static ByteBuffer copyToDirect(ByteBuffer source) {
    ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(source.duplicate());
    copy.flip();
    return copy;
  }
}
