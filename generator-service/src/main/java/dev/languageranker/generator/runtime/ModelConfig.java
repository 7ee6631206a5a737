package dev.languageranker.generator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The decoder's shape and constants, as read from (and written to) a Hugging Face {@code config.json}. */
public record ModelConfig(
    Architecture architecture,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    String torchDtype,
    int bosTokenId,
    int[] eosTokenIds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelConfig {
    if (hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKeyValueHeads <= 0 || vocabSize <= 0) {
      throw new UnsupportedModelException("config.json: sizes must be positive");
    }
    if (numHeads % numKeyValueHeads != 0) {
      throw new UnsupportedModelException(
          "config.json: num_attention_heads " + numHeads + " is not a multiple of num_key_value_heads "
              + numKeyValueHeads);
    }
  }

  /** A Llama-architecture config with the usual defaults, for models this project builds itself. */
  public static ModelConfig llama(
      int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKeyValueHeads,
      int maxPositionEmbeddings, int bosTokenId, int eosTokenId) {
    return new ModelConfig(Architecture.LLAMA, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads,
        numKeyValueHeads, hiddenSize / numHeads, 1e-5, 10000.0, null, maxPositionEmbeddings, true, false,
        "float32", bosTokenId, new int[]{eosTokenId});
  }

  /** Whether the q, k and v projections carry biases (always for Qwen2, by flag for Llama). */
  public boolean hasQkvBias() {
    return architecture == Architecture.QWEN2 || attentionBias;
  }

  /** Reads {@code config.json}, refusing an unsupported architecture with its name. */
  public static ModelConfig read(Path file) throws IOException {
    JsonNode json = JSON.readTree(file.toFile());
    JsonNode architectures = json.path("architectures");
    if (!architectures.isArray() || architectures.isEmpty()) {
      throw new UnsupportedModelException(file + ": no 'architectures' entry");
    }
    Architecture architecture = Architecture.fromHuggingFaceName(architectures.get(0).asText());
    int hidden = required(json, "hidden_size", file);
    int heads = required(json, "num_attention_heads", file);
    JsonNode scaling = json.path("rope_scaling");
    RopeScaling ropeScaling = null;
    if (scaling.isObject()) {
      String type = scaling.has("rope_type") ? scaling.get("rope_type").asText() : scaling.path("type").asText();
      if (!type.equals("llama3") && !type.equals("default")) {
        throw new UnsupportedModelException(file + ": unsupported rope_scaling type '" + type + "'");
      }
      ropeScaling = new RopeScaling(type, scaling.path("factor").asDouble(1.0),
          scaling.path("low_freq_factor").asDouble(1.0), scaling.path("high_freq_factor").asDouble(4.0),
          scaling.path("original_max_position_embeddings").asInt(8192));
    }
    JsonNode eos = json.path("eos_token_id");
    int[] eosIds = eos.isArray() ? toInts(eos) : eos.isNumber() ? new int[]{eos.asInt()} : new int[0];
    return new ModelConfig(
        architecture,
        required(json, "vocab_size", file),
        hidden,
        required(json, "intermediate_size", file),
        required(json, "num_hidden_layers", file),
        heads,
        json.path("num_key_value_heads").asInt(heads),
        json.hasNonNull("head_dim") ? json.get("head_dim").asInt() : hidden / heads,
        json.path("rms_norm_eps").asDouble(1e-6),
        json.path("rope_theta").asDouble(10000.0),
        ropeScaling,
        json.path("max_position_embeddings").asInt(2048),
        json.path("tie_word_embeddings").asBoolean(false),
        json.path("attention_bias").asBoolean(false),
        json.path("torch_dtype").asText("float32"),
        json.path("bos_token_id").asInt(-1),
        eosIds);
  }

  /** Writes this config as a Hugging Face {@code config.json}. */
  public void write(Path file) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.putArray("architectures").add(architecture.huggingFaceName());
    json.put("model_type", architecture == Architecture.QWEN2 ? "qwen2" : "llama");
    json.put("vocab_size", vocabSize);
    json.put("hidden_size", hiddenSize);
    json.put("intermediate_size", intermediateSize);
    json.put("num_hidden_layers", numLayers);
    json.put("num_attention_heads", numHeads);
    json.put("num_key_value_heads", numKeyValueHeads);
    json.put("head_dim", headDim);
    json.put("hidden_act", "silu");
    json.put("rms_norm_eps", rmsNormEps);
    json.put("rope_theta", ropeTheta);
    if (ropeScaling != null) {
      ObjectNode scaling = json.putObject("rope_scaling");
      scaling.put("rope_type", ropeScaling.type());
      scaling.put("factor", ropeScaling.factor());
      scaling.put("low_freq_factor", ropeScaling.lowFreqFactor());
      scaling.put("high_freq_factor", ropeScaling.highFreqFactor());
      scaling.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
    }
    json.put("max_position_embeddings", maxPositionEmbeddings);
    json.put("tie_word_embeddings", tieWordEmbeddings);
    json.put("attention_bias", attentionBias);
    json.put("torch_dtype", torchDtype);
    json.put("bos_token_id", bosTokenId);
    if (eosTokenIds.length == 1) {
      json.put("eos_token_id", eosTokenIds[0]);
    } else {
      ArrayNode eos = json.putArray("eos_token_id");
      for (int id : eosTokenIds) {
        eos.add(id);
      }
    }
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
  }

  /** Parameters of the decoder, counting tied embeddings once. */
  public long parameterCount() {
    long h = hiddenSize;
    long q = (long) numHeads * headDim;
    long kv = (long) numKeyValueHeads * headDim;
    long attention = h * q + 2 * h * kv + q * h + (hasQkvBias() ? q + 2 * kv : 0);
    long mlp = 3 * h * intermediateSize;
    long perLayer = attention + mlp + 2 * h;
    long embeddings = (long) vocabSize * h * (tieWordEmbeddings ? 1 : 2);
    return perLayer * numLayers + embeddings + h;
  }

  private static int required(JsonNode json, String key, Path file) {
    if (!json.hasNonNull(key)) {
      throw new UnsupportedModelException(file + ": missing '" + key + "'");
    }
    return json.get(key).asInt();
  }

  private static int[] toInts(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }
}
