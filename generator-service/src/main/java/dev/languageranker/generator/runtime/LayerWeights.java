package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoder layer's tensors. Projections are kept as {@code [in, out]} (Hugging Face stores {@code [out, in]}) so
 * that the forward pass is {@code x.matMul(w)} without a transpose per step; biases are null when absent.
 */
public record LayerWeights(
    NDArray inputNorm,
    NDArray q,
    NDArray qBias,
    NDArray k,
    NDArray kBias,
    NDArray v,
    NDArray vBias,
    NDArray o,
    NDArray postAttentionNorm,
    NDArray gate,
    NDArray up,
    NDArray down) {

  /** The tensors that are present, for training and for counting. */
  public List<NDArray> parameters() {
    List<NDArray> parameters = new ArrayList<>();
    for (NDArray array : new NDArray[]{inputNorm, q, qBias, k, kBias, v, vBias, o, postAttentionNorm, gate, up,
        down}) {
      if (array != null) {
        parameters.add(array);
      }
    }
    return parameters;
  }
}
