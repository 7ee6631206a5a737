package dev.languageranker.generator.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves a decoder in the Hugging Face directory layout ({@code config.json}, {@code model.safetensors},
 * {@code tokenizer_config.json} with the chat template, {@code generation_config.json}); the {@code tokenizer.json}
 * is written by whoever built the tokenizer.
 */
public final class ModelDirectoryWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelDirectoryWriter() {}

  /** Writes config, weights (in {@code dtype}), tokenizer config and generation config into {@code directory}. */
  public static void write(Path directory, ModelConfig config, ModelWeights weights, TensorDtype dtype,
      String chatTemplate, String bosToken, String eosToken, GenerationDefaults defaults) throws IOException {
    Files.createDirectories(directory);
    ModelConfig stored = new ModelConfig(config.architecture(), config.vocabSize(), config.hiddenSize(),
        config.intermediateSize(), config.numLayers(), config.numHeads(), config.numKeyValueHeads(),
        config.headDim(), config.rmsNormEps(), config.ropeTheta(), config.ropeScaling(),
        config.maxPositionEmbeddings(), config.tieWordEmbeddings(), config.attentionBias(),
        dtype == TensorDtype.BF16 ? "bfloat16" : "float32", config.bosTokenId(), config.eosTokenIds());
    stored.write(directory.resolve(ModelDirectory.CONFIG));
    SafetensorsWriter.write(directory.resolve(SafetensorsReader.SINGLE_FILE), weights.toHuggingFace(), dtype);
    ObjectNode tokenizerConfig = JSON.createObjectNode();
    tokenizerConfig.put("bos_token", bosToken);
    tokenizerConfig.put("eos_token", eosToken);
    tokenizerConfig.put("model_max_length", config.maxPositionEmbeddings());
    tokenizerConfig.put("chat_template", chatTemplate);
    Files.writeString(directory.resolve(ModelDirectory.TOKENIZER_CONFIG),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tokenizerConfig));
    ObjectNode generation = JSON.createObjectNode();
    generation.put("bos_token_id", config.bosTokenId());
    if (defaults.eosTokenIds().length > 0) {
      generation.put("eos_token_id", defaults.eosTokenIds()[0]);
    }
    if (defaults.temperature() != null) {
      generation.put("do_sample", true);
      generation.put("temperature", defaults.temperature());
    }
    if (defaults.topP() != null) {
      generation.put("top_p", defaults.topP());
    }
    if (defaults.topK() != null) {
      generation.put("top_k", defaults.topK());
    }
    Files.writeString(directory.resolve(GenerationDefaults.FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(generation));
  }
}
