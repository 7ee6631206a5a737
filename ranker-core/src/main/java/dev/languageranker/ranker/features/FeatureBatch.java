package dev.languageranker.ranker.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups of mixed size packed for one forward pass: features (B, T, d) with T = 1 + the largest
 * K, the instruction at position 0 and padding vectors of zeros; mask (B, T - 1) with 1 for a real
 * candidate and 0 for padding.
 */
public record FeatureBatch(NDArray features, NDArray mask, int[] sizes) {
  // Below this many groups the fork/join hand-off costs more than the decoding it spreads.
  private static final int PARALLEL_GROUPS = 32;

  /** Packs into freshly allocated memory; the batch may be kept as long as needed. */
  public static FeatureBatch pack(NDManager manager, List<FeatureGroup> groups) {
    return pack(manager, groups, new ScratchBuffer());
  }

  /**
   * Packs into {@code scratch}; the batch's arrays alias it, so they must be closed before the
   * scratch buffer is used again. All groups must share dtype, dim and layer.
   */
  public static FeatureBatch pack(NDManager manager, List<FeatureGroup> groups, ScratchBuffer scratch) {
    if (groups.isEmpty()) {
      throw new InvalidFeaturesException("cannot pack an empty list of groups");
    }
    FeatureGroup first = groups.get(0);
    int dim = first.dim();
    FeatureDtype dtype = first.dtype();
    int maxK = 0;
    for (FeatureGroup group : groups) {
      if (group.dim() != dim || group.dtype() != dtype || group.layer() != first.layer()) {
        throw new InvalidFeaturesException("groups in one batch must share dim, dtype and layer");
      }
      maxK = Math.max(maxK, group.size());
    }
    int widest = maxK;
    int rowsPerGroup = maxK + 1;
    long rows = (long) groups.size() * rowsPerGroup;
    // FLOAT16 is packed as is and widened by PyTorch; the others are widened while packing.
    int packedBytesPerElement = dtype == FeatureDtype.FLOAT16 ? 2 : 4;
    int rowBytes = dim * packedBytesPerElement;
    ByteBuffer packed = scratch.acquire(rows * rowBytes);
    byte[] zeros = new byte[rowBytes];
    IntStream indices = IntStream.range(0, groups.size());
    if (groups.size() >= PARALLEL_GROUPS) {
      indices = indices.parallel();
    }
    indices.forEach(b -> {
      FeatureGroup group = groups.get(b);
      int offset = b * rowsPerGroup * rowBytes;
      writeRow(group.instruction(), dtype, packed, offset);
      for (int k = 0; k < widest; k++) {
        int rowOffset = offset + (1 + k) * rowBytes;
        if (k < group.size()) {
          writeRow(group.responses().get(k), dtype, packed, rowOffset);
        } else {
          // Scratch memory holds old data; padding must be zero so it cannot produce NaN.
          packed.put(rowOffset, zeros);
        }
      }
    });
    NDArray flat;
    if (dtype == FeatureDtype.FLOAT16) {
      try (NDArray half = manager.create(packed, new Shape(rows, dim), DataType.FLOAT16)) {
        flat = half.toType(DataType.FLOAT32, false);
      }
    } else {
      flat = manager.create(packed, new Shape(rows, dim), DataType.FLOAT32);
    }
    long badRow = FeatureDecoder.firstNonFiniteRow(flat);
    if (badRow >= 0) {
      flat.close();
      int group = (int) (badRow / rowsPerGroup);
      int position = (int) (badRow % rowsPerGroup);
      throw new InvalidFeaturesException(
          "group " + group + ": " + (position == 0 ? "instruction" : "response " + (position - 1))
              + " feature contains NaN or infinite values");
    }
    float[] mask = new float[groups.size() * maxK];
    int[] sizes = new int[groups.size()];
    for (int b = 0; b < groups.size(); b++) {
      sizes[b] = groups.get(b).size();
      for (int k = 0; k < sizes[b]; k++) {
        mask[b * maxK + k] = 1f;
      }
    }
    NDArray features = flat.reshape(groups.size(), rowsPerGroup, dim);
    return new FeatureBatch(features, manager.create(mask, new Shape(groups.size(), maxK)), sizes);
  }

  private static void writeRow(ByteBuffer bytes, FeatureDtype dtype, ByteBuffer packed, int offset) {
    if (dtype == FeatureDtype.FLOAT16) {
      packed.put(offset, bytes, bytes.position(), bytes.remaining());
    } else {
      FeatureDecoder.writeFloat32(bytes, dtype, packed, offset);
    }
  }
}
