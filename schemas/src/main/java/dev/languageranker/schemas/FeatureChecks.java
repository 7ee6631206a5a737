package dev.languageranker.schemas;

import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks a candidate's {@link Features} before anyone uses them: known dtype, byte sizes that match the dimension,
 * and (when asked) only finite values. Every consumer of features applies the same rules.
 */
public final class FeatureChecks {
  private FeatureChecks() {}

  /** Bytes per element of {@code dtype}, or 0 when unknown. */
  public static int bytesPerElement(FeatureDtype dtype) {
    return switch (dtype) {
      case FLOAT32 -> 4;
      case BFLOAT16, FLOAT16 -> 2;
      default -> 0;
    };
  }

  /** Why the features' shape is unusable, or null. */
  public static String shapeProblem(Features f) {
    int width = bytesPerElement(f.getDtype());
    if (width == 0) {
      return "features have unknown dtype " + f.getDtype();
    }
    long expected = (long) f.getDim() * width;
    if (f.getDim() < 1 || f.getInstruction().remaining() != expected || f.getResponse().remaining() != expected) {
      return "features do not match dim " + f.getDim() + " x " + f.getDtype() + " (" + expected + " bytes): instruction "
          + f.getInstruction().remaining() + ", response " + f.getResponse().remaining();
    }
    if (f.getLayer() < 0) {
      return "features have negative layer " + f.getLayer();
    }
    return null;
  }

  /** Why the features are unusable (shape, or a NaN or infinite value), or null. */
  public static String problem(Features f) {
    String shape = shapeProblem(f);
    if (shape != null) {
      return shape;
    }
    int bad = firstNonFinite(f.getInstruction(), f.getDtype());
    if (bad >= 0) {
      return "instruction feature has a NaN or infinite value at element " + bad;
    }
    bad = firstNonFinite(f.getResponse(), f.getDtype());
    return bad >= 0 ? "response feature has a NaN or infinite value at element " + bad : null;
  }

  /** Index of the first NaN or infinite element, or -1. All-ones exponent bits mark them in every format. */
  static int firstNonFinite(ByteBuffer bytes, FeatureDtype dtype) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int start = b.position();
    switch (dtype) {
      case FLOAT32 -> {
        for (int i = 0; i < b.remaining() / 4; i++) {
          if (((b.getInt(start + 4 * i) >>> 23) & 0xFF) == 0xFF) {
            return i;
          }
        }
      }
      case BFLOAT16 -> {
        for (int i = 0; i < b.remaining() / 2; i++) {
          if (((b.getShort(start + 2 * i) >>> 7) & 0xFF) == 0xFF) {
            return i;
          }
        }
      }
      case FLOAT16 -> {
        for (int i = 0; i < b.remaining() / 2; i++) {
          if (((b.getShort(start + 2 * i) >>> 10) & 0x1F) == 0x1F) {
            return i;
          }
        }
      }
      default -> {
        return 0;
      }
    }
    return -1;
  }
}
