package dev.languageranker.ranker.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.model.RankerArchitecture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each loss against a value computed by hand, including a padded candidate that must not count. */
class RankingLossTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray row(float... values) {
    return manager.create(values, new Shape(1, values.length));
  }

  @Test
  void listwiseKlIsTheDivergenceFromTheNormalisedLabelsToTheSoftmaxOfScores() {
    // given scores (1, 2, 0, padding 50), labels (1, 1, 0, 1 on padding)
    NDArray scores = row(1f, 2f, 0f, 50f);
    NDArray labels = row(1f, 1f, 0f, 1f);
    NDArray mask = row(1f, 1f, 1f, 0f);
    // pi = (0.5, 0.5, 0); KL = sum pi (log pi - log softmax)
    double z = Math.exp(1) + Math.exp(2) + Math.exp(0);
    double expected = 0.5 * (Math.log(0.5) - (1 - Math.log(z))) + 0.5 * (Math.log(0.5) - (2 - Math.log(z)));
    assertEquals(expected, new ListwiseKlLoss().compute(scores, labels, mask).getFloat(), 1e-5);
  }

  @Test
  void listwiseKlIsZeroWhenTheSoftmaxMatchesTheLabels() {
    NDArray scores = row(30f, 30f, -30f);
    assertEquals(0f, new ListwiseKlLoss().compute(scores, row(1f, 1f, 0f), row(1f, 1f, 1f)).getFloat(), 1e-5);
  }

  @Test
  void pointwiseBceAveragesOverRealCandidatesOnly() {
    NDArray scores = row(0f, 2f, -100f);
    double expected = (Math.log(2) + Math.log(1 + Math.exp(-2))) / 2;
    assertEquals(expected, new PointwiseBceLoss().compute(scores, row(1f, 1f, 1f), row(1f, 1f, 0f)).getFloat(), 1e-5);
  }

  @Test
  void pointwiseBceStaysFiniteForLargeScores() {
    float loss = new PointwiseBceLoss().compute(row(200f, -200f), row(0f, 1f), row(1f, 1f)).getFloat();
    assertEquals(200f, loss, 1e-3);
  }

  @Test
  void mseIsTheMeanSquaredErrorOverRealCandidates() {
    float loss = new MseLoss().compute(row(1f, 3f, 9f), row(2f, 5f, 0f), row(1f, 1f, 0f)).getFloat();
    assertEquals((1 + 4) / 2f, loss, 1e-6);
  }

  @Test
  void thePapersPairingPicksTheDefaultLoss() {
    assertEquals(LossKind.LISTWISE_KL, LossKind.defaultFor(RankerArchitecture.LISTWISE, LabelType.BINARY));
    assertEquals(LossKind.POINTWISE_BCE, LossKind.defaultFor(RankerArchitecture.POINTWISE, LabelType.BINARY));
    assertEquals(LossKind.MSE, LossKind.defaultFor(RankerArchitecture.LISTWISE, LabelType.REAL));
  }
}
