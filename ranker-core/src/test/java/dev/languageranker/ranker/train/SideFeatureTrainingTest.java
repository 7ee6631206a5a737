package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.eval.EvaluationReport;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With hidden states that carry no signal (labels shuffled within each prompt, answers moving with their labels), a
 * ranker with side features still learns self-consistency and matches majority vote; the default training converges
 * and stops on its own.
 */
class SideFeatureTrainingTest {
  private static final List<SideFeature> ALL = List.of(SideFeature.values());
  private static NDManager manager;
  private static TrainingSet noiseHidden;
  private static TrainingSet planted;

  @BeforeAll
  static void generateData() {
    manager = NDManager.newBaseManager();
    noiseHidden = SyntheticFeatures.of(200, 30, 64, 11).withShuffledLabels().build(manager);
    planted = SyntheticFeatures.of(200, 40, 128, 7).build(manager);
  }

  @AfterAll
  static void release() {
    manager.close();
  }

  @ParameterizedTest
  @EnumSource(RankerArchitecture.class)
  void aSideFeatureRankerLearnsSelfConsistencyWhenHiddenStatesAreNoise(RankerArchitecture architecture) {
    // Five groups per prompt: the held-out comparison is then over about 200 groups rather than 80.
    TrainingConfig config = TrainingConfig.defaults().withArchitecture(architecture).withSideFeatures(ALL)
        .withBatching(64, 30, 5);
    try (TrainingResult result = new RankerTrainer().train(noiseHidden, config, TrainingProgressListener.NONE)) {
      EvaluationReport holdout = result.holdout();
      double ranker = holdout.get("holdout_accuracy");
      double majority = holdout.get("majority_vote_accuracy");
      double first = holdout.get("first_sample_accuracy");
      System.out.printf("%s side features, noise hidden: ranker %.3f majority %.3f first %.3f epochs %d%n",
          architecture, ranker, majority, first, result.epochsRun());
      assertTrue(ranker >= majority - 0.03, "ranker " + ranker + " should match majority vote " + majority);
      assertTrue(ranker >= first + 0.1, "ranker " + ranker + " should beat first sample " + first);
      assertEquals(ALL, result.ranker().config().sideFeatures());
    }
  }

  @Test
  void aSideFeatureOnlyRankerMatchesMajorityVote() {
    TrainingConfig config = TrainingConfig.defaults().withSideFeatures(ALL).withHiddenStates(false).withBatching(64, 30,
        5);
    try (TrainingResult result = new RankerTrainer().train(noiseHidden, config, TrainingProgressListener.NONE)) {
      double ranker = result.holdout().get("holdout_accuracy");
      double majority = result.holdout().get("majority_vote_accuracy");
      assertTrue(ranker >= majority - 0.03, "side-only " + ranker + " vs majority " + majority);
      assertEquals(3, result.ranker().weights().parameterCount());
    }
  }

  @Test
  void theDefaultsConvergeOnAPlantedSignalAndStopEarly() {
    try (TrainingResult result = new RankerTrainer().train(planted, TrainingConfig.defaults(),
        TrainingProgressListener.NONE)) {
      EvaluationReport holdout = result.holdout();
      double ranker = holdout.get("holdout_accuracy");
      double oracle = holdout.get("oracle_accuracy");
      System.out.printf(
          "defaults planted: ranker %.3f oracle %.3f epochs %d (best %d) steps %d loss %.4f validation %.3f%n",
          ranker, oracle, result.epochsRun(), result.bestEpoch(), result.steps(), result.finalLoss(),
          result.validationAccuracy());
      assertTrue(ranker >= 0.9 * oracle, "ranker " + ranker + " should reach 90% of oracle " + oracle);
      // Early stopping ended the run before the 30-epoch cap, keeping the best epoch's weights.
      assertTrue(result.epochsRun() < TrainingConfig.defaults().epochs(), "ran " + result.epochsRun() + " epochs");
      assertTrue(result.bestEpoch() <= result.epochsRun() - TrainingConfig.defaults().patience(),
          result.bestEpoch() + " of " + result.epochsRun());
      assertTrue(result.validationPrompts() > 0 && result.validationAccuracy() > 0.8,
          "validation " + result.validationAccuracy());
      // The listwise loss starts at about ln(positives share) and falls well below it.
      assertTrue(result.finalLoss() < 0.5 * Math.log(10), "final loss " + result.finalLoss());
    }
  }
}
