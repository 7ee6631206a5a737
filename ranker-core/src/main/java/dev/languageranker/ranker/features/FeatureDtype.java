package dev.languageranker.ranker.features;

/** Element type of a feature vector's little-endian bytes; services map the wire enum onto it. */
public enum FeatureDtype {
  FLOAT32(4, 1), BFLOAT16(2, 2), FLOAT16(2, 3);

  private final int bytesPerElement;
  private final int code;

  FeatureDtype(int bytesPerElement, int code) {
    this.bytesPerElement = bytesPerElement;
    this.code = code;
  }

  public int bytesPerElement() {
    return bytesPerElement;
  }

  /** Stable number used in on-disk headers (never the ordinal, so the enum may be reordered). */
  public int code() {
    return code;
  }

  public static FeatureDtype fromCode(int code) {
    for (FeatureDtype dtype : values()) {
      if (dtype.code == code) {
        return dtype;
      }
    }
    throw new IllegalArgumentException("unknown feature dtype code " + code);
  }
}
