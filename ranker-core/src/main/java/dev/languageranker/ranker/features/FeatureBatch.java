package dev.languageranker.ranker.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Groups of mixed size packed for one forward pass: features (B, T, d) with T = 1 + the largest
 * K, the instruction at position 0 and padding vectors of zeros; mask (B, T - 1) with 1 for a real
 * candidate and 0 for padding.
 */
public record FeatureBatch(NDArray features, NDArray mask, int[] sizes) {

  /** Packs the groups; all must share dtype, dim and layer (the caller splits mixed inputs). */
  public static FeatureBatch pack(NDManager manager, List<FeatureGroup> groups) {
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
    int rowsPerGroup = maxK + 1;
    int vectorBytes = dim * dtype.bytesPerElement();
    // Zero-filled, so padding rows decode to zero vectors; the mask keeps them out of attention and scores.
    ByteBuffer packed = ByteBuffer.allocateDirect(groups.size() * rowsPerGroup * vectorBytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] mask = new float[groups.size() * maxK];
    int[] sizes = new int[groups.size()];
    for (int b = 0; b < groups.size(); b++) {
      FeatureGroup group = groups.get(b);
      sizes[b] = group.size();
      packed.position(b * rowsPerGroup * vectorBytes);
      packed.put(group.instruction());
      for (int k = 0; k < group.size(); k++) {
        packed.put(group.responses().get(k));
        mask[b * maxK + k] = 1f;
      }
    }
    packed.clear();
    NDArray flat = FeatureDecoder.decode(manager, packed, dtype, (long) groups.size() * rowsPerGroup, dim);
    long badRow = FeatureDecoder.firstNonFiniteRow(flat);
    if (badRow >= 0) {
      flat.close();
      int group = (int) (badRow / rowsPerGroup);
      int position = (int) (badRow % rowsPerGroup);
      throw new InvalidFeaturesException(
          "group " + group + ": " + (position == 0 ? "instruction" : "response " + (position - 1)) + " feature contains NaN or infinite values");
    }
    NDArray features = flat.reshape(groups.size(), rowsPerGroup, dim);
    NDArray maskArray = manager.create(mask, new Shape(groups.size(), maxK));
    return new FeatureBatch(features, maskArray.toType(DataType.FLOAT32, false), sizes);
  }
}
