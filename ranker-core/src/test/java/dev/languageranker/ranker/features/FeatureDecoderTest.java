package dev.languageranker.ranker.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FeatureDecoderTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @ParameterizedTest
  @EnumSource(FeatureDtype.class)
  void decodesExactlyRepresentableValuesOfEveryDtype(FeatureDtype dtype) {
    // given values that every dtype represents exactly
    float[] values = {1.5f, -2.25f, 0f, 3f, 256f, -0.125f};
    byte[] bytes = FeatureEncoder.encode(values, dtype);

    // when decoded as 2 rows of 3
    NDArray decoded = FeatureDecoder.decode(manager, ByteBuffer.wrap(bytes), dtype, 2, 3);

    // then the float32 values come back unchanged, in shape (2, 3)
    assertEquals(2, decoded.getShape().get(0));
    assertArrayEquals(values, decoded.toFloatArray());
  }

  @Test
  void decodesBfloat16FromHandWrittenBits() {
    // given bf16 bits written by hand: 1.0 = 0x3F80, -2.0 = 0xC000, little-endian
    ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3F80)
        .putShort((short) 0xC000);
    bytes.flip();

    // when decoded
    float[] decoded = FeatureDecoder.decode(manager, bytes, FeatureDtype.BFLOAT16, 1, 2).toFloatArray();

    // then they are 1 and -2
    assertArrayEquals(new float[]{1f, -2f}, decoded);
  }

  @Test
  void refusesABlockOfTheWrongSize() {
    ByteBuffer bytes = ByteBuffer.allocate(10);
    InvalidFeaturesException e = assertThrows(InvalidFeaturesException.class,
        () -> FeatureDecoder.decode(manager, bytes, FeatureDtype.FLOAT32, 1, 3));
    assertTrue(e.getMessage().contains("expected 12"), e.getMessage());
  }

  @Test
  void aGroupWithAResponseOfTheWrongLengthIsRefusedNamingIt() {
    byte[] good = new byte[8];
    InvalidFeaturesException e = assertThrows(InvalidFeaturesException.class,
        () -> FeatureGroup.of(3, 4, FeatureDtype.BFLOAT16, good, List.of(good, new byte[6])));
    assertTrue(e.getMessage().contains("response 1"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(FeatureDtype.class)
  void aBatchWithNaNOrInfinityIsRefusedNamingTheGroupAndVector(FeatureDtype dtype) {
    // given two groups, the second with an infinite value in its second response
    float[] finite = {0.5f, 1f};
    float[] infinite = {Float.POSITIVE_INFINITY, 1f};
    byte[] ok = FeatureEncoder.encode(finite, dtype);
    FeatureGroup clean = FeatureGroup.of(1, 2, dtype, ok, List.of(ok));
    FeatureGroup dirty = FeatureGroup.of(1, 2, dtype, ok, List.of(ok, FeatureEncoder.encode(infinite, dtype)));
    FeatureGroup nan = FeatureGroup.of(1, 2, dtype, FeatureEncoder.encode(new float[]{Float.NaN, 0f}, dtype),
        List.of(ok));

    // when packed, then refused with where the bad value is
    InvalidFeaturesException e = assertThrows(InvalidFeaturesException.class,
        () -> FeatureBatch.pack(manager, List.of(clean, dirty)));
    assertTrue(e.getMessage().contains("group 1: response 1"), e.getMessage());
    InvalidFeaturesException n = assertThrows(InvalidFeaturesException.class,
        () -> FeatureBatch.pack(manager, List.of(nan)));
    assertTrue(n.getMessage().contains("group 0: instruction"), n.getMessage());
  }

  @Test
  void packsGroupsOfMixedSizeWithZeroPaddingAndAMask() {
    // given groups of 1 and 3 candidates
    byte[] v = FeatureEncoder.encode(new float[]{1f, 2f}, FeatureDtype.FLOAT32);
    FeatureGroup small = FeatureGroup.of(1, 2, FeatureDtype.FLOAT32, v, List.of(v));
    FeatureGroup large = FeatureGroup.of(1, 2, FeatureDtype.FLOAT32, v, List.of(v, v, v));

    // when packed
    FeatureBatch batch = FeatureBatch.pack(manager, List.of(small, large));

    // then features are (2, 4, 2), the small group's padding is zero and masked
    assertArrayEquals(new long[]{2, 4, 2}, batch.features().getShape().getShape());
    assertArrayEquals(new float[]{1, 0, 0, 1, 1, 1}, batch.mask().toFloatArray());
    float[] flat = batch.features().toFloatArray();
    assertEquals(0f, flat[4]);
    assertEquals(0f, flat[7]);
    assertArrayEquals(new int[]{1, 3}, batch.sizes());
  }
}
