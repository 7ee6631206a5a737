package dev.languageranker.schemas;

import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

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

  /** Why the features' shape is unusable, or empty when it is usable. */
  public static Optional<String> shapeProblem(Features f) {
    int width = bytesPerElement(f.getDtype());
    if (width == 0) {
      return Optional.of("features have unknown dtype " + f.getDtype());
    }
    long expected = (long) f.getDim() * width;
    if (f.getDim() < 1 || f.getInstruction().remaining() != expected || f.getResponse().remaining() != expected) {
      return Optional.of("features do not match dim " + f.getDim() + " x " + f.getDtype() + " (" + expected
          + " bytes): instruction " + f.getInstruction().remaining() + ", response " + f.getResponse().remaining());
    }
    if (f.getLayer() < 0) {
      return Optional.of("features have negative layer " + f.getLayer());
    }
    return Optional.empty();
  }

  /** Why the features are unusable (shape, or a NaN or infinite value), or empty when they are usable. */
  public static Optional<String> problem(Features f) {
    return shapeProblem(f).or(() -> {
      int bad = firstNonFinite(f.getInstruction(), f.getDtype());
      if (bad >= 0) {
        return Optional.of("instruction feature has a NaN or infinite value at element " + bad);
      }
      bad = firstNonFinite(f.getResponse(), f.getDtype());
      return bad >= 0 ? Optional.of("response feature has a NaN or infinite value at element " + bad)
          : Optional.empty();
    });
  }

  /**
   * Index of the first NaN or infinite element, or -1. All-ones exponent bits mark them in every format; eight
   * bytes are tested at once (a lane whose masked exponent XOR the mask is zero), and only a hit is resolved
   * element by element.
   */
  static int firstNonFinite(ByteBuffer bytes, FeatureDtype dtype) {
    final int width;
    final long exponent;
    switch (dtype) {
      case FLOAT32 -> {
        width = 4;
        exponent = 0x7F8000007F800000L;
      }
      case BFLOAT16 -> {
        width = 2;
        exponent = 0x7F807F807F807F80L;
      }
      case FLOAT16 -> {
        width = 2;
        exponent = 0x7C007C007C007C00L;
      }
      default -> {
        return 0;
      }
    }
    long ones = width == 4 ? 0x0000000100000001L : 0x0001000100010001L;
    long high = width == 4 ? 0x8000000080000000L : 0x8000800080008000L;
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int start = b.position();
    int length = b.remaining();
    int words = length / 8;
    for (int w = 0; w < words; w++) {
      long t = (b.getLong(start + 8 * w) & exponent) ^ exponent;
      if (((t - ones) & ~t & high) != 0) {
        int bad = scan(b, start, 8 * w, 8 * w + 8, width, exponent);
        if (bad >= 0) {
          return bad;
        }
      }
    }
    return scan(b, start, 8 * words, length, width, exponent);
  }

  private static int scan(ByteBuffer b, int start, int from, int to, int width, long exponent) {
    for (int offset = from; offset + width <= to; offset += width) {
      long value = width == 4 ? b.getInt(start + offset) & 0xFFFFFFFFL : b.getShort(start + offset) & 0xFFFFL;
      long mask = width == 4 ? exponent & 0xFFFFFFFFL : exponent & 0xFFFFL;
      if ((value & mask) == mask) {
        return offset / width;
      }
    }
    return -1;
  }
}
