package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * How a ranker reads side features: a learned linear embedding of a candidate's side-feature vector added to its
 * projected hidden state (so the blocks see both), and a learned linear term over the side features to which the
 * hidden-state score is added through a gate that starts at zero: {@code s = w . side + gate * s_hidden}. Training
 * starts from a side-feature-only ranker and lets the hidden state in only as far as it helps (measured: with a
 * gate of one from the start, noise in the hidden states pulled a ranker from majority vote's 0.47 to 0.38).
 */
final class SideFeatureLayer {
  static final String EMBEDDING = "side.embedding.weight";
  static final String SCORE = "side.score.weight";
  static final String GATE = "side.hidden_gate";
  private final int features;
  private final int width;

  SideFeatureLayer(int features, int width) {
    this.features = features;
    this.width = width;
  }

  List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.constant(EMBEDDING, 0f, width, features),
        ParameterSpec.constant(SCORE, 0f, 1, features),
        ParameterSpec.constant(GATE, 0f, 1));
  }

  /** The final score: the side features' linear term plus the gated hidden-state score, (B, K). */
  NDArray combine(RankerWeights weights, NDArray hiddenScores, NDArray side) {
    return hiddenScores.mul(weights.get(GATE)).add(score(weights, side));
  }

  /** (B, K, S) side features to (B, K, width). */
  NDArray embed(RankerWeights weights, NDArray side) {
    return side.matMul(weights.get(EMBEDDING).transpose());
  }

  /** (B, K, S) side features to (B, K) score terms. */
  NDArray score(RankerWeights weights, NDArray side) {
    return side.matMul(weights.get(SCORE).transpose()).squeeze(-1);
  }

  /** Throws unless {@code side} is (B, K, S) with the S side features {@code config} reads. */
  static void require(RankerConfig config, NDArray side) {
    if (side == null || side.getShape().get(2) != config.sideFeatures().size()) {
      throw new IllegalArgumentException("this ranker reads side features " + config.sideFeatures() + "; got "
          + (side == null ? "none" : side.getShape().toString()));
    }
  }
}
