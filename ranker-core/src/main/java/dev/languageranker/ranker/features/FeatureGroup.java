package dev.languageranker.ranker.features;

import java.util.List;

/**
 * One request's features as they arrive: the instruction vector and one vector per candidate, all
 * {@code dim} elements of {@code dtype}, little-endian, taken at {@code layer}.
 */
public record FeatureGroup(int layer, int dim, FeatureDtype dtype, byte[] instruction, List<byte[]> responses) {

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
    responses = List.copyOf(responses);
  }

  /** Number of candidates in the group. */
  public int size() {
    return responses.size();
  }

  private static void checkSize(String what, byte[] bytes, int expected, int dim, FeatureDtype dtype) {
    if (bytes == null) {
      throw new InvalidFeaturesException(what + " feature is missing");
    }
    if (bytes.length != expected) {
      throw new InvalidFeaturesException(
          what + " feature has " + bytes.length + " bytes, expected " + expected + " (" + dim + " x " + dtype + ")");
    }
  }
}
