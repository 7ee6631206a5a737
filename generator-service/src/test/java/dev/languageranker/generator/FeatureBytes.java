package dev.languageranker.generator;

import dev.languageranker.events.FeatureDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads feature bytes back to floats in tests, written out from the format's definition (bf16: upper half). */
final class FeatureBytes {
  private FeatureBytes() {}

  static float[] decode(ByteBuffer bytes, FeatureDtype dtype) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int width = dtype == FeatureDtype.FLOAT32 ? 4 : 2;
    float[] out = new float[b.remaining() / width];
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype == FeatureDtype.FLOAT32 ? b.getFloat() : Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
    }
    return out;
  }

  /** Largest |a - b| / max(|b|, floor) over the elements. */
  static double maxRelativeError(float[] a, float[] b, double floor) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
    }
    return worst;
  }
}
