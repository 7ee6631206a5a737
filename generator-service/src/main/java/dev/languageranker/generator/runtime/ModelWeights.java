package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** All tensors of a Llama/Qwen2 decoder, named and shaped after the Hugging Face checkpoint layout. */
public record ModelWeights(NDArray embedTokens, List<LayerWeights> layers, NDArray finalNorm, NDArray lmHead) {

  /** Builds the weights from Hugging Face tensor names, checking that each expected tensor is there. */
  public static ModelWeights fromHuggingFace(ModelConfig config, Map<String, NDArray> tensors) {
    NDArray embed = require(tensors, "model.embed_tokens.weight", config.vocabSize(), config.hiddenSize());
    List<LayerWeights> layers = new ArrayList<>();
    int q = config.numHeads() * config.headDim();
    int kv = config.numKeyValueHeads() * config.headDim();
    int h = config.hiddenSize();
    int inter = config.intermediateSize();
    for (int i = 0; i < config.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      boolean bias = config.hasQkvBias();
      layers.add(new LayerWeights(
          require(tensors, p + "input_layernorm.weight", h),
          linear(tensors, p + "self_attn.q_proj.weight", q, h),
          bias ? require(tensors, p + "self_attn.q_proj.bias", q) : null,
          linear(tensors, p + "self_attn.k_proj.weight", kv, h),
          bias ? require(tensors, p + "self_attn.k_proj.bias", kv) : null,
          linear(tensors, p + "self_attn.v_proj.weight", kv, h),
          bias ? require(tensors, p + "self_attn.v_proj.bias", kv) : null,
          linear(tensors, p + "self_attn.o_proj.weight", h, q),
          require(tensors, p + "post_attention_layernorm.weight", h),
          linear(tensors, p + "mlp.gate_proj.weight", inter, h),
          linear(tensors, p + "mlp.up_proj.weight", inter, h),
          linear(tensors, p + "mlp.down_proj.weight", h, inter)));
    }
    NDArray norm = require(tensors, "model.norm.weight", h);
    NDArray lmHead = null;
    if (tensors.containsKey("lm_head.weight")) {
      lmHead = linear(tensors, "lm_head.weight", config.vocabSize(), h);
    } else if (!config.tieWordEmbeddings()) {
      throw new UnsupportedModelException("Missing tensor 'lm_head.weight' (tie_word_embeddings is false)");
    }
    return new ModelWeights(embed, layers, norm, lmHead);
  }

  /** Fresh weights for training: normal(0, 0.02) projections and embeddings, unit norms, as Hugging Face inits. */
  public static ModelWeights initialise(ModelConfig config, NDManager manager, long seed) {
    manager.getEngine().setRandomSeed((int) seed);
    int h = config.hiddenSize();
    int q = config.numHeads() * config.headDim();
    int kv = config.numKeyValueHeads() * config.headDim();
    int inter = config.intermediateSize();
    double std = 0.02;
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < config.numLayers(); i++) {
      boolean bias = config.hasQkvBias();
      layers.add(new LayerWeights(
          manager.ones(new Shape(h)),
          normal(manager, std, h, q), bias ? manager.zeros(new Shape(q)) : null,
          normal(manager, std, h, kv), bias ? manager.zeros(new Shape(kv)) : null,
          normal(manager, std, h, kv), bias ? manager.zeros(new Shape(kv)) : null,
          // Output projections scaled down by depth (as GPT-2 does) keep the residual stream stable at init.
          normal(manager, std / Math.sqrt(2.0 * config.numLayers()), q, h),
          manager.ones(new Shape(h)),
          normal(manager, std, h, inter),
          normal(manager, std, h, inter),
          normal(manager, std / Math.sqrt(2.0 * config.numLayers()), inter, h)));
    }
    NDArray lmHead = config.tieWordEmbeddings() ? null : normal(manager, std, h, config.vocabSize());
    return new ModelWeights(normal(manager, std, config.vocabSize(), h), layers, manager.ones(new Shape(h)), lmHead);
  }

  /** The tensors under their Hugging Face names and layouts ({@code [out, in]} projections), for saving. */
  public Map<String, NDArray> toHuggingFace() {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    tensors.put("model.embed_tokens.weight", embedTokens);
    for (int i = 0; i < layers.size(); i++) {
      String p = "model.layers." + i + ".";
      LayerWeights l = layers.get(i);
      tensors.put(p + "input_layernorm.weight", l.inputNorm());
      tensors.put(p + "self_attn.q_proj.weight", l.q().transpose());
      putIfPresent(tensors, p + "self_attn.q_proj.bias", l.qBias());
      tensors.put(p + "self_attn.k_proj.weight", l.k().transpose());
      putIfPresent(tensors, p + "self_attn.k_proj.bias", l.kBias());
      tensors.put(p + "self_attn.v_proj.weight", l.v().transpose());
      putIfPresent(tensors, p + "self_attn.v_proj.bias", l.vBias());
      tensors.put(p + "self_attn.o_proj.weight", l.o().transpose());
      tensors.put(p + "post_attention_layernorm.weight", l.postAttentionNorm());
      tensors.put(p + "mlp.gate_proj.weight", l.gate().transpose());
      tensors.put(p + "mlp.up_proj.weight", l.up().transpose());
      tensors.put(p + "mlp.down_proj.weight", l.down().transpose());
    }
    tensors.put("model.norm.weight", finalNorm);
    if (lmHead != null) {
      tensors.put("lm_head.weight", lmHead.transpose());
    }
    return tensors;
  }

  /** Every trainable tensor. */
  public List<NDArray> parameters() {
    List<NDArray> parameters = new ArrayList<>();
    parameters.add(embedTokens);
    layers.forEach(layer -> parameters.addAll(layer.parameters()));
    parameters.add(finalNorm);
    if (lmHead != null) {
      parameters.add(lmHead);
    }
    return parameters;
  }

  /** The number of scalar parameters held. */
  public long parameterCount() {
    return parameters().stream().mapToLong(NDArray::size).sum();
  }

  private static void putIfPresent(Map<String, NDArray> tensors, String name, NDArray array) {
    if (array != null) {
      tensors.put(name, array);
    }
  }

  private static NDArray normal(NDManager manager, double std, long rows, long cols) {
    return manager.randomNormal(0f, (float) std, new Shape(rows, cols), DataType.FLOAT32);
  }

  private static NDArray linear(Map<String, NDArray> tensors, String name, long out, long in) {
    NDArray stored = require(tensors, name, out, in);
    NDArray transposed = stored.transpose().duplicate();
    stored.close();
    return transposed;
  }

  private static NDArray require(Map<String, NDArray> tensors, String name, long... shape) {
    NDArray array = tensors.get(name);
    if (array == null) {
      throw new UnsupportedModelException("Missing tensor '" + name + "'");
    }
    if (!array.getShape().equals(new Shape(shape))) {
      throw new UnsupportedModelException(
          "Tensor '" + name + "' has shape " + array.getShape() + ", expected " + new Shape(shape));
    }
    return array;
  }
}
