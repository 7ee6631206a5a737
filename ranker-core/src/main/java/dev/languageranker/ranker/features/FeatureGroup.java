package dev.languageranker.ranker.features;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's features as they arrive: the instruction vector and one vector per candidate, all
 * {@code dim} elements of {@code dtype}, little-endian, taken at {@code layer}. Each vector is the remaining bytes of
 * its buffer, which may be a view into a larger record (nothing here moves or changes a buffer).
 */
public record FeatureGroup(int layer, int dim, FeatureDtype dtype, ByteBuffer instruction, List<ByteBuffer> responses) {

  /** A group over whole arrays. */
  public static FeatureGroup of(int layer, int dim, FeatureDtype dtype, byte[] instruction, List<byte[]> responses) {
    List<ByteBuffer> wrapped = new ArrayList<>(responses == null ? 0 : responses.size());
    if (responses != null) {
      responses.forEach(r -> wrapped.add(r == null ? null : ByteBuffer.wrap(r)));
    }
    return new FeatureGroup(layer, dim, dtype, instruction == null ? null : ByteBuffer.wrap(instruction),
        responses == null ? null : wrapped);
  }

  public FeatureGroup {
    if (dtype == null) {
      throw new InvalidFeaturesException("feature dtype is missing");
    }
    if (dim <= 0) {
      throw new InvalidFeaturesException("feature dim must be positive, got " + dim);
    }
    if (responses == null || responses.isEmpty()) {
      throw new InvalidFeaturesException("a group needs at least one response feature");
    }
    int expected = dim * dtype.bytesPerElement();
    checkSize("instruction", instruction, expected, dim, dtype);
    for (int k = 0; k < responses.size(); k++) {
      checkSize("response " + k, responses.get(k), expected, dim, dtype);
    }
    instruction = instruction.duplicate();
    List<ByteBuffer> views = new ArrayList<>(responses.size());
    responses.forEach(r -> views.add(r.duplicate()));
    responses = List.copyOf(views);
  }

  /** Number of candidates in the group. */
  public int size() {
    return responses.size();
  }

  private static void checkSize(String what, ByteBuffer bytes, int expected, int dim, FeatureDtype dtype) {
    if (bytes == null) {
      throw new InvalidFeaturesException(what + " feature is missing");
    }
    if (bytes.remaining() != expected) {
      throw new InvalidFeaturesException(
          what + " feature has " + bytes.remaining() + " bytes, expected " + expected + " (" + dim + " x " + dtype
              + ")");
    }
  }
}
