package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decoding step by step with the KV cache must give the logits of recomputing the whole sequence. */
class KvCacheDecodingTest {

  /** float32 on CPU: both paths run the same ops in a different order, so only rounding may differ. */
  private static final float TOLERANCE = 1e-4f;

  private static final long[] SEQUENCE = {2, 40, 41, 55, 60, 12, 70, 71, 33, 90, 91, 17};

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void cachedDecodingGivesTheLogitsOfFullRecomputation(Architecture architecture) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // Given a random model and a 12-token sequence
      CausalLanguageModel model = TinyModels.model(TinyModels.config(architecture, 128, 3), manager, 1);
      int n = SEQUENCE.length;
      // When the full sequence is run at once
      NDArray full = model.forward(TinyModels.ids(manager, new long[][]{SEQUENCE}),
          TinyModels.positions(manager, 1, 0, n), null, null, CausalLanguageModel.NO_CAPTURE, true).logits();
      // and when 5 tokens are prefilled and the rest fed one at a time through the cache
      try (KvCache cache = new KvCache(3)) {
        long[] prefix = java.util.Arrays.copyOf(SEQUENCE, 5);
        NDArray prefill = model.forward(TinyModels.ids(manager, new long[][]{prefix}),
            TinyModels.positions(manager, 1, 0, 5), null, cache, CausalLanguageModel.NO_CAPTURE, true).logits();
        // Then every position's logits agree
        assertTrue(TinyModels.maxAbsDifference(prefill, full.get(":, :5, :")) < TOLERANCE);
        for (int t = 5; t < n; t++) {
          NDArray step = model.forward(TinyModels.ids(manager, new long[][]{{SEQUENCE[t]}}),
              TinyModels.positions(manager, 1, t, t + 1), null, cache, CausalLanguageModel.NO_CAPTURE, false)
              .logits();
          float difference = TinyModels.maxAbsDifference(step, full.get(":, " + t + ":" + (t + 1) + ", :"));
          assertTrue(difference < TOLERANCE, "position " + t + " differs by " + difference);
        }
        assertEquals(n, cache.length());
      }
      // and the logits are not trivially small (the comparison means something)
      assertTrue(full.abs().max().getFloat() > 0.5f);
    }
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void leftPaddedBatchRowsGiveTheLogitsOfEachSequenceAlone(Architecture architecture) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      CausalLanguageModel model = TinyModels.model(TinyModels.config(architecture, 128, 2), manager, 2);
      long[] shortRow = {2, 50, 51, 52};
      long[] longRow = {2, 60, 61, 62, 63, 64, 65};
      // Given the short row left-padded to the long one's length, with a mask and shifted positions
      long[][] ids = {{0, 0, 0, 2, 50, 51, 52}, longRow};
      long[] positions = {0, 0, 0, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6};
      float[] mask = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
      try (KvCache cache = new KvCache(2)) {
        NDArray batch = model.forward(TinyModels.ids(manager, ids), manager.create(positions, new Shape(2, 7)),
            manager.create(mask, new Shape(2, 7)), cache, CausalLanguageModel.NO_CAPTURE, false).logits();
        // When the short row is run alone
        NDArray alone = model.forward(TinyModels.ids(manager, new long[][]{shortRow}),
            TinyModels.positions(manager, 1, 0, 4), null, null, CausalLanguageModel.NO_CAPTURE, false).logits();
        NDArray longAlone = model.forward(TinyModels.ids(manager, new long[][]{longRow}),
            TinyModels.positions(manager, 1, 0, 7), null, null, CausalLanguageModel.NO_CAPTURE, false).logits();
        // Then each batch row's last logits are those of the row alone
        assertTrue(TinyModels.maxAbsDifference(batch.get("0:1"), alone) < TOLERANCE);
        assertTrue(TinyModels.maxAbsDifference(batch.get("1:2"), longAlone) < TOLERANCE);
      }
    }
  }
}
