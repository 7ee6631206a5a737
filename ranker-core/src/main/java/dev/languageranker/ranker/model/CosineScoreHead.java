package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * s_k = exp(logScale) * cos(i~, r~_k) + bias. The scale sharpens the softmax of the listwise loss;
 * scale and bias together are the learnable similarity that MSE fits to real-valued labels. Neither
 * changes which candidate ranks first.
 */
final class CosineScoreHead {
  static final String LOG_SCALE = "score.log_scale";
  static final String BIAS = "score.bias";
  private static final float EPSILON = 1e-6f;

  List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.constant(LOG_SCALE, (float) Math.log(10.0), 1), ParameterSpec.constant(BIAS, 0f, 1));
  }

  /**
   * @param instruction (B, p)
   * @param responses (B, K, p)
   * @return (B, K) scores
   */
  NDArray forward(RankerWeights weights, NDArray instruction, NDArray responses) {
    NDArray i = normalize(instruction).expandDims(1);
    NDArray r = normalize(responses);
    NDArray cosine = r.mul(i).sum(new int[]{-1});
    NDArray scale = weights.get(LOG_SCALE).exp();
    // An op's result belongs to its receiver's manager; move it to the caller's so it is freed with
    // the other temporaries instead of piling up next to the weights.
    scale.attach(cosine.getManager());
    return cosine.mul(scale).add(weights.get(BIAS));
  }

  private static NDArray normalize(NDArray x) {
    return x.div(x.square().sum(new int[]{-1}, true).add(EPSILON).sqrt());
  }
}
