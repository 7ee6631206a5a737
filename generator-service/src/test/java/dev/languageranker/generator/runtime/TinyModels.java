package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Small random decoders for tests, with weights large enough that wrong maths shows in the logits. */
final class TinyModels {

  static final int HIDDEN = 32;
  static final int HEAD_DIM = 12; // q is 48 wide, not square with hidden: a wrong transpose cannot go unseen
  static final int HEADS = 4;
  static final int KV_HEADS = 2;
  static final int INTERMEDIATE = 40;

  private TinyModels() {}

  /** Writes a tokenizer.json built from a few sentences and returns its vocabulary size. */
  static int writeTokenizer(Path directory) throws IOException {
    Path file = directory.resolve(ModelDirectory.TOKENIZER);
    TestChatFormat.writeTokenizer("runtime-tokenizer", file);
    return new ObjectMapper().readTree(file.toFile()).path("model").path("vocab").size();
  }

  static ModelConfig config(Architecture architecture, int vocab, int layers) {
    return new ModelConfig(architecture, vocab, HIDDEN, INTERMEDIATE, layers, HEADS, KV_HEADS, HEAD_DIM, 1e-6,
        architecture == Architecture.QWEN2 ? 1_000_000.0 : 500_000.0,
        architecture == Architecture.LLAMA ? new RopeScaling("llama3", 8.0, 1.0, 4.0, 64) : null, 512,
        architecture == Architecture.LLAMA, false, "float32", TestChatFormat.idOf(TestChatFormat.BOS),
        new int[]{TestChatFormat.idOf(TestChatFormat.END)});
  }

  /** Random weights with standard deviation 0.3 (and random biases), so activations and logits are O(1). */
  static CausalLanguageModel model(ModelConfig config, NDManager manager, long seed) {
    ModelWeights initial = ModelWeights.initialise(config, manager, seed);
    for (NDArray parameter : initial.parameters()) {
      if (parameter.getShape().dimension() == 2) {
        parameter.muli(15f);
      } else if (config.hasQkvBias()) {
        // Norm weights around 1 and non-zero biases.
        parameter.addi(manager.randomNormal(0f, 0.3f, parameter.getShape(), DataType.FLOAT32));
      }
    }
    return new CausalLanguageModel(config, initial, manager);
  }

  static NDArray ids(NDManager manager, long[][] rows) {
    long[] flat = new long[rows.length * rows[0].length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
    }
    return manager.create(flat, new Shape(rows.length, rows[0].length));
  }

  static NDArray positions(NDManager manager, int batch, int from, int to) {
    long[] flat = new long[batch * (to - from)];
    for (int b = 0; b < batch; b++) {
      for (int t = from; t < to; t++) {
        flat[b * (to - from) + t - from] = t;
      }
    }
    return manager.create(flat, new Shape(batch, to - from));
  }

  static float maxAbsDifference(NDArray a, NDArray b) {
    return a.toType(DataType.FLOAT32, false).sub(b.toType(DataType.FLOAT32, false)).abs().max().getFloat();
  }
}
