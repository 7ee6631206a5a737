package dev.languageranker.ranker.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes float values as little-endian feature bytes, the inverse of {@link FeatureDecoder}; for producers and tests. */
public final class FeatureEncoder {

  private FeatureEncoder() {}

  public static byte[] encode(float[] values, FeatureDtype dtype) {
    return encode(values, 0, values.length, dtype);
  }

  public static byte[] encode(float[] values, int offset, int length, FeatureDtype dtype) {
    ByteBuffer out = ByteBuffer.allocate(length * dtype.bytesPerElement()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = offset; i < offset + length; i++) {
      switch (dtype) {
        case FLOAT32 :
          out.putFloat(values[i]);
          break;
        case BFLOAT16 :
          out.putShort(toBfloat16(values[i]));
          break;
        case FLOAT16 :
          out.putShort(toFloat16(values[i]));
          break;
        default :
          throw new IllegalStateException("unhandled dtype " + dtype);
      }
    }
    return out.array();
  }

  /** Round to nearest even, as PyTorch does; NaN stays NaN. */
  static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }

  /** IEEE binary16, round to nearest even; overflow becomes infinity, tiny values flush towards zero through subnormals. */
  static short toFloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xFF;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      int half = full >>> shift;
      int remainder = full & ((1 << shift) - 1);
      int midpoint = 1 << (shift - 1);
      if (remainder > midpoint || (remainder == midpoint && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (halfExponent << 10) | (mantissa >>> 13);
    int remainder = mantissa & 0x1FFF;
    if (remainder > 0x1000 || (remainder == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }
}
