package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;

/** A random tiny model served like a real one: tokenizer, chat template and a feature layer. */
final class GeneratorFixture {

  private GeneratorFixture() {}

  static LoadedModel load(Path directory, Architecture architecture, int layers, int featureLayer, long seed)
      throws IOException {
    int vocab = TinyModels.writeTokenizer(directory);
    NDManager manager = NDManager.newBaseManager("PyTorch");
    CausalLanguageModel model = TinyModels.model(TinyModels.config(architecture, vocab, layers), manager, seed);
    return new LoadedModel(directory, model, TextTokenizer.load(directory.resolve(ModelDirectory.TOKENIZER)),
        new ChatTemplate(TestChatFormat.TEMPLATE, TestChatFormat.BOS, TestChatFormat.END), GenerationDefaults.none(),
        featureLayer);
  }
}
