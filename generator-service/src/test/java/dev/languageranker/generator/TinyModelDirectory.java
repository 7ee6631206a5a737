package dev.languageranker.generator;

import ai.djl.ndarray.NDManager;
import dev.languageranker.generator.runtime.GenerationDefaults;
import dev.languageranker.generator.runtime.TestChatFormat;
import dev.languageranker.generator.runtime.ModelConfig;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.ModelDirectoryWriter;
import dev.languageranker.generator.runtime.ModelWeights;
import dev.languageranker.generator.runtime.TensorDtype;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny random Llama saved in the Hugging Face layout (demo tokenizer and chat template), loaded through the same
 * path as a real checkpoint; and the bundled demo model when it is there.
 */
final class TinyModelDirectory {
  static final int HIDDEN = 32;
  static final int LAYERS = 3;
  static final int CONTEXT = 512;
  /** The demo model, relative to this module's directory (where tests run). */
  static final Path DEMO = Path.of("..", "models", "demo");

  private TinyModelDirectory() {}

  static Path write(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path tokenizer = directory.resolve(ModelDirectory.TOKENIZER);
    TestChatFormat.writeTokenizer("service-tokenizer", tokenizer);
    int vocab = new ObjectMapper().readTree(tokenizer.toFile()).path("model").path("vocab").size();
    int eos = TestChatFormat.idOf(TestChatFormat.END);
    ModelConfig config = ModelConfig.llama(vocab, HIDDEN, 64, LAYERS, 4, 2, CONTEXT,
        TestChatFormat.idOf(TestChatFormat.BOS), eos);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ModelWeights weights = ModelWeights.initialise(config, manager, 11);
      ModelDirectoryWriter.write(directory, config, weights, TensorDtype.F32, TestChatFormat.TEMPLATE,
          TestChatFormat.BOS, TestChatFormat.END, new GenerationDefaults(1.0, null, null, new int[]{eos}));
    }
    return directory;
  }

  static boolean demoPresent() {
    return Files.isRegularFile(DEMO.resolve(ModelDirectory.CONFIG));
  }
}
