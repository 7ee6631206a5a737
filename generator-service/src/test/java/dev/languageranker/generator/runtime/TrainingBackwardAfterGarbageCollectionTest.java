package dev.languageranker.generator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.languageranker.ranker.model.NativeMemoryChurn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo trainer runs this forward pass under autograd: its gradients must not depend on when the garbage collector
 * runs. A scalar operand that autograd keeps (the attention's 1/sqrt(d), RMSNorm's square) must live in PyTorch's
 * memory, not in a direct buffer a collection between forward and backward frees (see the ranker's TensorScalars).
 */
class TrainingBackwardAfterGarbageCollectionTest {
  private final NativeMemoryChurn churn = new NativeMemoryChurn();

  @Test
  void gradientsAreTheSameWhenACollectionRunsBetweenForwardAndBackward() throws InterruptedException {
    List<float[]> expected = gradients(false);
    for (int round = 0; round < 3; round++) {
      List<float[]> actual = gradients(true);
      for (int p = 0; p < expected.size(); p++) {
        float[] want = expected.get(p);
        float[] got = actual.get(p);
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], got[i], 1e-5f * Math.max(1f, Math.abs(want[i])),
              "round " + round + ", parameter " + p + "[" + i + "] after a collection");
        }
      }
    }
  }

  private List<float[]> gradients(boolean collectInBetween) throws InterruptedException {
    ModelConfig config = ModelConfig.llama(40, 32, 64, 2, 4, 2, 64, 1, 2);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ModelWeights weights = ModelWeights.initialise(config, manager, 5);
      List<NDArray> parameters = weights.parameters();
      parameters.forEach(p -> p.setRequiresGradient(true));
      CausalLanguageModel model = new CausalLanguageModel(config, weights, manager);
      long[] ids = new long[2 * 12];
      long[] positions = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 3 + (i * 7) % 37;
        positions[i] = i % 12;
      }
      Shape shape = new Shape(2, 12);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        ForwardResult result = model.forward(manager.create(ids, shape), manager.create(positions, shape), null, null,
            1, true);
        NDArray objective = result.logits().logSoftmax(-1).mean().neg().add(result.hiddenStates().square().mean());
        if (collectInBetween) {
          churn.collectAndReuseFreedMemory();
        }
        collector.backward(objective);
      } finally {
        churn.release();
      }
      List<float[]> out = new ArrayList<>();
      for (NDArray parameter : parameters) {
        out.add(parameter.getGradient().toFloatArray());
      }
      return out;
    }
  }
}
