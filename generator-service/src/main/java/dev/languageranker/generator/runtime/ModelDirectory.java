package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads a Hugging Face style model directory into a {@link LoadedModel}, naming whatever is missing. */
public final class ModelDirectory {

  public static final String CONFIG = "config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  private ModelDirectory() {}

  /** Loads config, weights, tokenizer, chat template and generation defaults. */
  public static LoadedModel load(Path directory, RuntimeOptions options) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new UnsupportedModelException("Model directory " + directory + " does not exist");
    }
    ModelConfig config = ModelConfig.read(requireFile(directory, CONFIG));
    TextTokenizer tokenizer = TextTokenizer.load(requireFile(directory, TOKENIZER));
    ChatTemplate template = readChatTemplate(directory);
    GenerationDefaults defaults = GenerationDefaults.read(directory);
    DataType computeType = TensorDtype.computeType(options.dtype());
    NDManager manager = NDManager.newBaseManager(options.djlDevice(), "PyTorch");
    try {
      Map<String, NDArray> tensors = SafetensorsReader.readDirectory(directory, manager, computeType);
      ModelWeights weights = ModelWeights.fromHuggingFace(config, tensors);
      CausalLanguageModel model = new CausalLanguageModel(config, weights, manager);
      return new LoadedModel(directory, model, tokenizer, template, defaults,
          options.resolveFeatureLayer(config.numLayers()), options.pooling());
    } catch (RuntimeException | IOException e) {
      manager.close();
      tokenizer.close();
      throw e;
    }
  }

  private static ChatTemplate readChatTemplate(Path directory) throws IOException {
    Path file = directory.resolve(TOKENIZER_CONFIG);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    JsonNode template = json.path("chat_template");
    String source = null;
    if (template.isTextual()) {
      source = template.asText();
    } else if (template.isArray()) {
      // Newer checkpoints list named templates; the one named "default" serves plain chat.
      for (JsonNode named : template) {
        if ("default".equals(named.path("name").asText())) {
          source = named.path("template").asText();
        }
      }
    }
    if (source == null) {
      return null;
    }
    return new ChatTemplate(source, tokenText(json.path("bos_token")), tokenText(json.path("eos_token")));
  }

  private static String tokenText(JsonNode token) {
    if (token.isTextual()) {
      return token.asText();
    }
    return token.isObject() ? token.path("content").asText(null) : null;
  }

  private static Path requireFile(Path directory, String name) {
    Path file = directory.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new UnsupportedModelException("Missing " + name + " in model directory " + directory);
    }
    return file;
  }
}
