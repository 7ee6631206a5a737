package dev.languageranker.ranker.loss;

import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.model.RankerArchitecture;

/** The three objectives of the paper. */
public enum LossKind {
  /** KL(pi_y || softmax(s)) with pi_y = y / sum(y); binary labels. */
  LISTWISE_KL,
  /** Binary cross-entropy on sigmoid(s) per candidate; binary labels. */
  POINTWISE_BCE,
  /** Squared error between the learnable similarity and a real-valued label. */
  MSE;

  /** The paper's pairing: real labels use MSE; binary labels use the loss named after the architecture. */
  public static LossKind defaultFor(RankerArchitecture architecture, LabelType labelType) {
    if (labelType == LabelType.REAL) {
      return MSE;
    }
    return architecture == RankerArchitecture.LISTWISE ? LISTWISE_KL : POINTWISE_BCE;
  }
}
