package dev.languageranker.ranker.data;

/**
 * Constants of the on-disk training shard (".lrts"), described in ranker-core/README.md: a 64-byte
 * little-endian header, one contiguous feature block, then the per-prompt metadata.
 */
final class TrainingSetFormat {
  static final int MAGIC = 0x5354524c; // "LRTS" read as a little-endian int
  /** Version 2 adds the feature pooling (header offset 28, was reserved) and per-candidate token counts. */
  static final int VERSION = 2;
  static final int FIRST_VERSION = 1;
  static final int HEADER_BYTES = 64;

  private TrainingSetFormat() {}

  static int labelTypeCode(LabelType type) {
    return type == LabelType.BINARY ? 0 : 1;
  }

  static LabelType labelType(int code) {
    switch (code) {
      case 0 :
        return LabelType.BINARY;
      case 1 :
        return LabelType.REAL;
      default :
        throw new IllegalArgumentException("unknown label type code " + code);
    }
  }
}
