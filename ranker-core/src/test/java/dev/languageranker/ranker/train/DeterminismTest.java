package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeterminismTest {

  private static byte[] trainedWeights(TrainingSet set, TrainingConfig config) {
    TrainingResult result = new RankerTrainer().train(set, config, TrainingProgressListener.NONE);
    try {
      return result.ranker().weights().toSafetensors();
    } finally {
      result.ranker().close();
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void theSameSeedAndDataGiveBitIdenticalWeightsAndAnotherSeedDoesNot(OptimizerKind optimizer) {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet set = SyntheticFeatures.of(60, 20, 64, 5).build(manager)) {
      TrainingConfig config = TrainingConfig.defaults().withArchitecture(RankerArchitecture.LISTWISE)
          .withOptimizer(optimizer, optimizer == OptimizerKind.SGD ? 0.5f : 1e-3f)
          .withSchedule(LearningRateSchedule.COSINE).withBatching(16, 2, 4).withSeed(123);
      byte[] first = trainedWeights(set, config);
      byte[] second = trainedWeights(set, config);
      byte[] otherSeed = trainedWeights(set, config.withSeed(124));
      assertArrayEquals(first, second);
      assertFalse(Arrays.equals(first, otherSeed));
    }
  }
}
