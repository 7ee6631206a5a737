package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A model saved in the Hugging Face layout and loaded back must compute what the in-memory model computes. */
class SavedModelRoundTripTest {

  private static final long[] TOKENS = {2, 30, 31, 40, 41, 42, 9, 10};

  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void float32CheckpointLoadsToIdenticalLogits(Architecture architecture) throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      // Given a random model written as config.json + model.safetensors + tokenizer files
      int vocab = TinyModels.writeTokenizer(directory);
      CausalLanguageModel original = TinyModels.model(TinyModels.config(architecture, vocab, 3), manager, 3);
      writeDirectory(original, TensorDtype.F32);
      // When it is loaded back through the model directory loader
      try (LoadedModel loaded = ModelDirectory.load(directory, RuntimeOptions.defaults())) {
        // Then it has the same architecture and gives the same logits
        assertEquals(architecture, loaded.config().architecture());
        assertEquals(original.weights().parameterCount(), loaded.model().weights().parameterCount());
        assertEquals(original.config().parameterCount(), loaded.model().weights().parameterCount());
        assertTrue(TinyModels.maxAbsDifference(logits(original), logits(loaded.model())) < 1e-5f);
      }
    }
  }

  @Test
  void shardedCheckpointWithIndexLoadsToIdenticalLogits() throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int vocab = TinyModels.writeTokenizer(directory);
      CausalLanguageModel original = TinyModels.model(TinyModels.config(Architecture.QWEN2, vocab, 2), manager, 4);
      writeDirectory(original, TensorDtype.F32);
      // Given the weights split over two shards named by model.safetensors.index.json
      Files.delete(directory.resolve(SafetensorsReader.SINGLE_FILE));
      Map<String, NDArray> all = original.weights().toHuggingFace();
      Map<String, NDArray> first = new LinkedHashMap<>();
      Map<String, NDArray> second = new LinkedHashMap<>();
      ObjectNode index = new ObjectMapper().createObjectNode();
      ObjectNode weightMap = index.putObject("weight_map");
      all.forEach((name, tensor) -> {
        boolean early = name.startsWith("model.embed") || name.startsWith("model.layers.0.");
        (early ? first : second).put(name, tensor);
        weightMap.put(name, early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
      });
      SafetensorsWriter.write(directory.resolve("model-00001-of-00002.safetensors"), first, TensorDtype.F32);
      SafetensorsWriter.write(directory.resolve("model-00002-of-00002.safetensors"), second, TensorDtype.F32);
      Files.writeString(directory.resolve(SafetensorsReader.INDEX_FILE), index.toString());
      // When loaded, then the logits are the in-memory model's
      try (LoadedModel loaded = ModelDirectory.load(directory, RuntimeOptions.defaults())) {
        assertTrue(TinyModels.maxAbsDifference(logits(original), logits(loaded.model())) < 1e-5f);
      }
    }
  }

  @Test
  void bfloat16CheckpointLoadsToTheLogitsOfBfloat16RoundedWeights() throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int vocab = TinyModels.writeTokenizer(directory);
      ModelConfig config = TinyModels.config(Architecture.LLAMA, vocab, 2);
      CausalLanguageModel original = TinyModels.model(config, manager, 5);
      // Given the model saved in bf16
      writeDirectory(original, TensorDtype.BF16);
      // and the same model with every weight rounded to bf16 in memory
      for (NDArray parameter : original.weights().parameters()) {
        float[] values = parameter.toFloatArray();
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.intBitsToFloat(SafetensorsWriter.toBfloat16(values[i]) << 16);
        }
        parameter.set(values);
      }
      // When the bf16 checkpoint is loaded (computing in float32)
      try (LoadedModel loaded = ModelDirectory.load(directory, RuntimeOptions.defaults())) {
        // Then it matches the rounded model
        assertTrue(TinyModels.maxAbsDifference(logits(original), logits(loaded.model())) < 1e-4f);
        String dtype = new ObjectMapper().readTree(directory.resolve("config.json").toFile()).get("torch_dtype")
            .asText();
        assertEquals("bfloat16", dtype);
      }
    }
  }

  @Test
  void unsupportedArchitectureIsRefusedByName() throws IOException {
    Files.writeString(directory.resolve("config.json"), "{\"architectures\": [\"GPT2LMHeadModel\"]}");
    TinyModels.writeTokenizer(directory);
    UnsupportedModelException error = assertThrows(UnsupportedModelException.class,
        () -> ModelDirectory.load(directory, RuntimeOptions.defaults()));
    assertTrue(error.getMessage().contains("GPT2LMHeadModel"), error.getMessage());
  }

  @Test
  void missingFilesAreRefusedByName() throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int vocab = TinyModels.writeTokenizer(directory);
      writeDirectory(TinyModels.model(TinyModels.config(Architecture.LLAMA, vocab, 1), manager, 6), TensorDtype.F32);
    }
    Files.delete(directory.resolve(SafetensorsReader.SINGLE_FILE));
    UnsupportedModelException noWeights = assertThrows(UnsupportedModelException.class,
        () -> ModelDirectory.load(directory, RuntimeOptions.defaults()));
    assertTrue(noWeights.getMessage().contains("model.safetensors"), noWeights.getMessage());
    Files.delete(directory.resolve(ModelDirectory.TOKENIZER));
    UnsupportedModelException noTokenizer = assertThrows(UnsupportedModelException.class,
        () -> ModelDirectory.load(directory, RuntimeOptions.defaults()));
    assertTrue(noTokenizer.getMessage().contains("tokenizer.json"), noTokenizer.getMessage());
  }

  @Test
  void chatTemplateFromTokenizerConfigRendersTheConversation() throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int vocab = TinyModels.writeTokenizer(directory);
      writeDirectory(TinyModels.model(TinyModels.config(Architecture.LLAMA, vocab, 1), manager, 7), TensorDtype.F32);
    }
    try (LoadedModel loaded = ModelDirectory.load(directory, RuntimeOptions.defaults())) {
      String prompt = loaded.promptText(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")));
      assertEquals("<s><|system|>Be brief.<|end|><|user|>Hi<|end|><|assistant|>", prompt);
      assertEquals(TestChatFormat.idOf(TestChatFormat.END), loaded.eosTokenIds()[0]);
    }
  }

  private void writeDirectory(CausalLanguageModel model, TensorDtype dtype) throws IOException {
    ModelDirectoryWriter.write(directory, model.config(), model.weights(), dtype, TestChatFormat.TEMPLATE,
        TestChatFormat.BOS, TestChatFormat.END, GenerationDefaults.none());
  }

  private static NDArray logits(CausalLanguageModel model) {
    NDManager manager = model.manager();
    return model.forward(TinyModels.ids(manager, new long[][]{TOKENS}),
        TinyModels.positions(manager, 1, 0, TOKENS.length), null, null, CausalLanguageModel.NO_CAPTURE, true)
        .logits();
  }
}
