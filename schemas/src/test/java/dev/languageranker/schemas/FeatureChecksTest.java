package dev.languageranker.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeatureChecksTest {
  @Test
  void finiteFeaturesOfTheRightSizePass() {
    assertEquals(Optional.empty(), FeatureChecks.problem(features(FeatureDtype.FLOAT32, 1.5f, -2f, 0f)));
    assertEquals(Optional.empty(), FeatureChecks.problem(features(FeatureDtype.BFLOAT16, 1.5f, -2f, 0f)));
  }

  @Test
  void aNanOrInfinityIsFoundInEveryFormatWithItsPosition() {
    for (FeatureDtype dtype : new FeatureDtype[]{FeatureDtype.FLOAT32, FeatureDtype.BFLOAT16}) {
      Optional<String> problem = FeatureChecks.problem(features(dtype, 1f, Float.NaN, 0f));
      assertTrue(problem.orElse("").contains("element 1"), dtype + ": " + problem);
      assertTrue(
          FeatureChecks.problem(features(dtype, 1f, 2f, Float.NEGATIVE_INFINITY)).orElseThrow().contains("element 2"));
    }
    ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00)
        .putShort((short) 0x7C00).putShort((short) 0);
    assertEquals(1, FeatureChecks.firstNonFinite(half.flip(), FeatureDtype.FLOAT16));
  }

  @Test
  void everyPositionIsFoundAcrossWordBoundariesAndTails() {
    for (FeatureDtype dtype : new FeatureDtype[]{FeatureDtype.FLOAT32, FeatureDtype.BFLOAT16}) {
      for (int n : new int[]{1, 3, 4, 7, 9, 33}) {
        for (int bad = 0; bad < n; bad++) {
          float[] values = new float[n];
          java.util.Arrays.fill(values, -1.25f);
          values[bad] = bad % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
          Optional<String> problem = FeatureChecks.problem(features(dtype, values));
          assertTrue(problem.orElse("").endsWith("element " + bad), dtype + " n=" + n + ": " + problem);
        }
        float[] fine = new float[n];
        java.util.Arrays.fill(fine, Float.MAX_VALUE);
        assertEquals(Optional.empty(), FeatureChecks.problem(features(dtype, fine)), dtype + " n=" + n);
      }
    }
  }

  @Test
  void aSizeThatDoesNotMatchTheDimensionIsReported() {
    Features f = features(FeatureDtype.FLOAT32, 1f, 2f, 3f);
    f.setDim(4);

    assertTrue(FeatureChecks.problem(f).orElseThrow().contains("do not match dim 4"),
        FeatureChecks.problem(f).toString());
  }

  private static Features features(FeatureDtype dtype, float... values) {
    int width = FeatureChecks.bytesPerElement(dtype);
    ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (dtype == FeatureDtype.FLOAT32) {
        b.putFloat(v);
      } else {
        b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
      }
    }
    b.flip();
    return Features.newBuilder().setLayer(3).setNumLayers(6).setDim(values.length).setDtype(dtype)
        .setInstruction(b.duplicate()).setResponse(b.duplicate()).build();
  }
}
