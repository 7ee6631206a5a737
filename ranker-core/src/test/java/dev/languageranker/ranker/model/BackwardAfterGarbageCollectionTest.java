package dev.languageranker.ranker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.languageranker.ranker.loss.LossKind;
import dev.languageranker.ranker.loss.RankingLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients must not depend on when the garbage collector runs. Autograd keeps some operands of the forward pass for
 * the backward pass; an operand in memory that only a collectable Java object keeps alive (DJL's number overloads
 * make such scalars, see {@link TensorScalars}) is freed by a collection in between and reused, and the backward then
 * reads garbage. That made same-seed trainings differ now and then (DeterminismTest). Here a collection runs between
 * forward and backward, and the freed small native blocks are then taken and filled with a poison value.
 */
class BackwardAfterGarbageCollectionTest {
  private static final int DIM = 16;
  private static final int GROUPS = 3;
  private static final int K = 4;
  private final NativeMemoryChurn churn = new NativeMemoryChurn();

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of(new RankerConfig(RankerArchitecture.LISTWISE, DIM, 1, 8, 1, 1, 16), LossKind.LISTWISE_KL),
        Arguments.of(new RankerConfig(RankerArchitecture.LISTWISE, DIM, 1, 8, 1, 2, 16), LossKind.LISTWISE_KL),
        Arguments.of(new RankerConfig(RankerArchitecture.POINTWISE, DIM, 1, 8, 1, 1, 16), LossKind.POINTWISE_BCE),
        Arguments.of(new RankerConfig(RankerArchitecture.LISTWISE, DIM, 1, 8, 1, 1, 16), LossKind.MSE));
  }

  @ParameterizedTest
  @MethodSource("networks")
  void gradientsAreTheSameWhenACollectionRunsBetweenForwardAndBackward(RankerConfig config, LossKind loss)
      throws InterruptedException {
    RankerNetwork network = RankerNetwork.of(config);
    Map<String, float[]> expected = gradients(network, RankingLoss.of(loss), false);
    for (int round = 0; round < 3; round++) {
      Map<String, float[]> actual = gradients(network, RankingLoss.of(loss), true);
      for (Map.Entry<String, float[]> entry : expected.entrySet()) {
        float[] want = entry.getValue();
        float[] got = actual.get(entry.getKey());
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-5f * Math.max(1f, Math.abs(want[i])),
              "round " + round + ", gradient of " + entry.getKey() + "[" + i + "] after a collection");
        }
      }
    }
  }

  private Map<String, float[]> gradients(RankerNetwork network, RankingLoss loss, boolean collectInBetween)
      throws InterruptedException {
    SplittableRandom random = new SplittableRandom(3);
    float[] features = new float[GROUPS * (1 + K) * DIM];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    float[] labels = new float[GROUPS * K];
    float[] mask = new float[GROUPS * K];
    for (int b = 0; b < GROUPS; b++) {
      for (int k = 0; k < K; k++) {
        boolean real = k < K - b; // later groups are padded
        mask[b * K + k] = real ? 1f : 0f;
        labels[b * K + k] = real && k % 2 == b % 2 ? 1f : 0f;
      }
    }
    try (NDManager manager = NDManager.newBaseManager();
        RankerWeights weights = RankerWeights.initialize(manager, network.parameters(), 11)) {
      weights.requireGradients();
      NDArray maskArray = manager.create(mask, new Shape(GROUPS, K));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray scores = network.scores(weights, manager.create(features, new Shape(GROUPS, 1 + K, DIM)), maskArray);
        NDArray objective = loss.compute(scores, manager.create(labels, new Shape(GROUPS, K)), maskArray);
        if (collectInBetween) {
          churn.collectAndReuseFreedMemory();
        }
        collector.backward(objective);
      } finally {
        churn.release();
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> parameter : weights.arrays().entrySet()) {
        try (NDArray gradient = parameter.getValue().getGradient()) {
          out.put(parameter.getKey(), gradient.toFloatArray());
        }
      }
      return out;
    }
  }
}
