package dev.languageranker.generator.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.languageranker.ranker.model.TensorScalars;

/**
 * The Llama/Qwen2 decoder written with DJL NDArray ops: RMSNorm, rotary embeddings (with Llama 3 scaling),
 * grouped-query attention with an optional KV cache, SwiGLU MLP, tied or untied output head. It follows Hugging
 * Face's {@code modeling_llama} / {@code modeling_qwen2} step by step so that logits and hidden states match theirs.
 */
public final class CausalLanguageModel implements AutoCloseable {

  /** Passed as the capture layer when no hidden state is wanted. */
  public static final int NO_CAPTURE = -1;

  private final ModelConfig config;
  private final ModelWeights weights;
  private final NDManager manager;
  private final NDArray inverseFrequencies;
  private final DataType computeType;

  public CausalLanguageModel(ModelConfig config, ModelWeights weights, NDManager manager) {
    this.config = config;
    this.weights = weights;
    this.manager = manager;
    this.computeType = weights.embedTokens().getDataType();
    int half = config.headDim() / 2;
    double[] frequencies = new double[half];
    for (int i = 0; i < half; i++) {
      frequencies[i] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim());
    }
    if (config.ropeScaling() != null) {
      frequencies = config.ropeScaling().apply(frequencies);
    }
    float[] asFloat = new float[half];
    for (int i = 0; i < half; i++) {
      asFloat[i] = (float) frequencies[i];
    }
    this.inverseFrequencies = manager.create(asFloat);
  }

  public ModelConfig config() {
    return config;
  }

  public ModelWeights weights() {
    return weights;
  }

  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return manager.getDevice();
  }

  /**
   * Runs the decoder over new tokens.
   *
   * @param inputIds {@code [batch, newPositions]} int64 token ids
   * @param positions {@code [batch, newPositions]} int64 rotary positions (left padding makes them differ per row)
   * @param keyMask {@code [batch, cachedPositions + newPositions]}, 1 where a key is a real token, 0 for padding;
   *     null when there is no padding
   * @param cache keys and values of earlier positions, appended to; null for a full-sequence pass
   * @param captureLayer which {@code hidden_states[L]} to return: 0 is the embeddings, L the output of decoder layer
   *     L before the final norm; {@link #NO_CAPTURE} for none
   * @param allPositions logits for every position (true) or only the last (false)
   */
  public ForwardResult forward(NDArray inputIds, NDArray positions, NDArray keyMask, KvCache cache, int captureLayer,
      boolean allPositions) {
    return run(inputIds, positions, keyMask, cache, captureLayer, allPositions, false);
  }

  /**
   * Runs only up to {@code layer} and returns its hidden states without logits (null): for a step whose only use is
   * reading features. The cache of the layers above is not extended, so decoding must not continue after it.
   */
  public ForwardResult forwardToLayer(NDArray inputIds, NDArray positions, NDArray keyMask, KvCache cache, int layer) {
    return run(inputIds, positions, keyMask, cache, layer, false, true);
  }

  private ForwardResult run(NDArray inputIds, NDArray positions, NDArray keyMask, KvCache cache, int captureLayer,
      boolean allPositions, boolean stopAtCapture) {
    if (captureLayer != NO_CAPTURE && (captureLayer < 0 || captureLayer > config.numLayers())) {
      throw new IllegalArgumentException(
          "Layer " + captureLayer + " is outside 0.." + config.numLayers() + " for this model");
    }
    long batch = inputIds.getShape().get(0);
    long length = inputIds.getShape().get(1);
    long cached = cache == null ? 0 : cache.length();
    NDArray hidden = weights.embedTokens().get(inputIds);
    NDArray captured = captureLayer == 0 ? hidden : null;
    NDArray[] rotary = rotary(positions);
    NDArray mask = attentionMask(batch, length, cached, keyMask);
    for (int i = 0; i < config.numLayers(); i++) {
      hidden = layer(i, weights.layers().get(i), hidden, rotary, mask, cache);
      if (captureLayer == i + 1) {
        captured = hidden;
        if (stopAtCapture) {
          return new ForwardResult(null, captured, captureLayer);
        }
      }
    }
    if (stopAtCapture) {
      return new ForwardResult(null, captured, captureLayer);
    }
    NDArray last = allPositions ? hidden : hidden.get(":, -1:, :");
    NDArray normed = rmsNorm(last, weights.finalNorm());
    NDArray logits = weights.lmHead() == null
        ? normed.matMul(weights.embedTokens().transpose())
        : normed.matMul(weights.lmHead());
    return new ForwardResult(logits.toType(DataType.FLOAT32, false), captured, captureLayer);
  }

  private NDArray layer(int index, LayerWeights w, NDArray x, NDArray[] rotary, NDArray mask, KvCache cache) {
    NDArray attended = attention(index, w, rmsNorm(x, w.inputNorm()), rotary, mask, cache);
    NDArray residual = x.add(attended);
    NDArray h = rmsNorm(residual, w.postAttentionNorm());
    NDArray gate = h.matMul(w.gate());
    NDArray activated = gate.mul(Activation.sigmoid(gate)).mul(h.matMul(w.up()));
    return residual.add(activated.matMul(w.down()));
  }

  private NDArray attention(int index, LayerWeights w, NDArray x, NDArray[] rotary, NDArray mask, KvCache cache) {
    long batch = x.getShape().get(0);
    long length = x.getShape().get(1);
    int heads = config.numHeads();
    int kvHeads = config.numKeyValueHeads();
    int headDim = config.headDim();
    NDArray q = heads(linear(x, w.q(), w.qBias()), heads);
    NDArray k = heads(linear(x, w.k(), w.kBias()), kvHeads);
    NDArray v = heads(linear(x, w.v(), w.vBias()), kvHeads);
    q = applyRotary(q, rotary);
    k = applyRotary(k, rotary);
    if (cache != null) {
      NDList all = cache.append(index, k, v);
      k = all.get(0);
      v = all.get(1);
    }
    long keys = k.getShape().get(2);
    int group = heads / kvHeads;
    // Grouped-query attention without copying keys: the query heads of one kv head become extra rows.
    NDArray groupedQ = q.reshape(batch, kvHeads, group * length, headDim);
    NDArray products = groupedQ.matMul(k.transpose(0, 1, 3, 2)).toType(DataType.FLOAT32, false);
    // A scalar in an op autograd records must be PyTorch's memory (TensorScalars): the demo trainer runs this forward.
    NDArray scores = products.div(TensorScalars.of(products, (float) Math.sqrt(headDim)))
        .reshape(batch, heads, length, keys)
        .add(mask);
    NDArray probabilities = scores.softmax(-1).toType(computeType, false)
        .reshape(batch, kvHeads, group * length, keys);
    NDArray context = probabilities.matMul(v)
        .reshape(batch, heads, length, headDim)
        .transpose(0, 2, 1, 3)
        .reshape(batch, length, (long) heads * headDim);
    return context.matMul(w.o());
  }

  private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    NDArray out = x.matMul(weight);
    return bias == null ? out : out.add(bias);
  }

  private NDArray heads(NDArray projected, int count) {
    Shape shape = projected.getShape();
    return projected.reshape(shape.get(0), shape.get(1), count, config.headDim()).transpose(0, 2, 1, 3);
  }

  /** cos and sin of position x frequency, {@code [batch, 1, positions, headDim]}, as Hugging Face lays them out. */
  private NDArray[] rotary(NDArray positions) {
    NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(inverseFrequencies);
    NDArray doubled = angles.concat(angles, -1).expandDims(1);
    return new NDArray[]{doubled.cos().toType(computeType, false), doubled.sin().toType(computeType, false)};
  }

  private NDArray applyRotary(NDArray x, NDArray[] rotary) {
    long half = config.headDim() / 2;
    NDArray first = x.get(":, :, :, :" + half);
    NDArray second = x.get(":, :, :, " + half + ":");
    NDArray rotatedHalf = second.neg().concat(first, -1);
    return x.mul(rotary[0]).add(rotatedHalf.mul(rotary[1]));
  }

  /** Additive mask {@code [batch, 1, new, keys]}: 0 where a query may look, a large negative number elsewhere. */
  private NDArray attentionMask(long batch, long length, long cached, NDArray keyMask) {
    long keys = cached + length;
    NDManager local = manager;
    NDArray keyIndex = local.arange(0, keys, 1, DataType.INT64);
    NDArray queryIndex = local.arange(cached, keys, 1, DataType.INT64).reshape(length, 1);
    NDArray allowed = keyIndex.lte(queryIndex).expandDims(0);
    if (keyMask != null) {
      allowed = allowed.logicalAnd(keyMask.toType(DataType.BOOLEAN, false).expandDims(1));
    }
    NDArray additive = allowed.toType(DataType.FLOAT32, false).sub(1f).mul(1e9f);
    return additive.broadcast(batch, length, keys).expandDims(1);
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    // Computed in float32 and cast back before the weight, as Hugging Face's LlamaRMSNorm does.
    NDArray x32 = x.toType(DataType.FLOAT32, false);
    NDArray variance = x32.pow(TensorScalars.of(x32, 2f)).mean(new int[]{-1}, true);
    NDArray normed = x32.div(variance.add((float) config.rmsNormEps()).sqrt()).toType(computeType, false);
    return normed.mul(weight);
  }

  @Override
  public void close() {
    manager.close();
  }
}
