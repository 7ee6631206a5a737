package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.eval.EvaluationReport;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both rankers find a planted signal that plain similarity misses, and fail when the labels carry none. */
class PlantedSignalTrainingTest {
  private static final int DIM = 256;
  private static NDManager manager;
  private static TrainingSet planted;
  private static TrainingSet shuffled;

  @BeforeAll
  static void generateData() {
    manager = NDManager.newBaseManager();
    SyntheticFeatures features = SyntheticFeatures.of(200, 40, DIM, 7);
    planted = features.build(manager);
    shuffled = features.withShuffledLabels().build(manager);
  }

  @AfterAll
  static void release() {
    manager.close();
  }

  private static TrainingConfig config(RankerArchitecture architecture) {
    return TrainingConfig.defaults().withArchitecture(architecture).withBatching(64, 1, 20);
  }

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void rankerTrainedOnPlantedSignalBeatsFirstSampleAndNearlyMatchesTheOracle(RankerArchitecture architecture) {
    // given features whose correct responses lie along a hidden direction
    // when the ranker is trained
    TrainingResult result = new RankerTrainer().train(planted, config(architecture), TrainingProgressListener.NONE);
    result.ranker().close();

    // then on held-out prompts it is far better than the first sample and close to the oracle
    EvaluationReport holdout = result.holdout();
    double ranker = holdout.get("holdout_accuracy");
    double first = holdout.get("first_sample_accuracy");
    double oracle = holdout.get("oracle_accuracy");
    System.out.printf("%s planted: ranker %.3f first %.3f oracle %.3f loss %.4f groups %d (%.1f s)%n",
        architecture, ranker, first, oracle, result.finalLoss(), result.trainingGroups(), result.trainSeconds());
    assertTrue(ranker >= first + 0.3, "ranker " + ranker + " should beat first sample " + first + " by 0.3");
    assertTrue(ranker >= 0.9 * oracle, "ranker " + ranker + " should reach 90% of oracle " + oracle);
  }

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void rankerTrainedOnShuffledLabelsStaysNearChance(RankerArchitecture architecture) {
    // given the same features with labels shuffled within each prompt, so no feature predicts them
    // when the ranker is trained
    TrainingResult result = new RankerTrainer().train(shuffled, config(architecture), TrainingProgressListener.NONE);
    result.ranker().close();

    // then it does no better than picking the first sample
    EvaluationReport holdout = result.holdout();
    double ranker = holdout.get("holdout_accuracy");
    double first = holdout.get("first_sample_accuracy");
    double oracle = holdout.get("oracle_accuracy");
    System.out.printf("%s shuffled: ranker %.3f first %.3f oracle %.3f%n", architecture, ranker, first, oracle);
    assertTrue(ranker <= first + 0.1, "ranker " + ranker + " should stay near first sample " + first);
    assertTrue(ranker < 0.6 * oracle, "ranker " + ranker + " should be far from oracle " + oracle);
  }
}
