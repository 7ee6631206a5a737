package dev.languageranker.ranker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run's trainingGroups counts each drawn group once, whether the side-score fit, an epoch or both trained on it. */
class TrainingGroupCountTest {
  private static final List<SideFeature> ALL = List.of(SideFeature.values());
  // No validation split, so every run trains all its epochs and draws the same groups from the same seed.
  private static final TrainingConfig CONFIG = TrainingConfig.defaults().withEarlyStopping(0.0, 1);
  private static NDManager manager;
  private static TrainingSet set;

  @BeforeAll
  static void generateData() {
    manager = NDManager.newBaseManager();
    set = SyntheticFeatures.of(60, 20, 64, 5).build(manager);
  }

  @AfterAll
  static void release() {
    manager.close();
  }

  @Test
  void theSideScoreFitAndTheFirstEpochShareOneSample() {
    int hiddenOnly = trainingGroups(CONFIG.withBatching(16, 2, 2));
    int withSide = trainingGroups(CONFIG.withBatching(16, 2, 2).withSideFeatures(ALL));
    assertEquals(hiddenOnly, withSide);
  }

  @Test
  void aSideOnlyRankerCountsTheOneSampleItWasFittedOn() {
    int oneEpoch = trainingGroups(CONFIG.withBatching(16, 1, 2));
    int sideOnly = trainingGroups(CONFIG.withBatching(16, 1, 2).withSideFeatures(ALL).withHiddenStates(false));
    assertEquals(oneEpoch, sideOnly);
  }

  private static int trainingGroups(TrainingConfig config) {
    try (TrainingResult result = new RankerTrainer().train(set, config, TrainingProgressListener.NONE)) {
      assertEquals(config.hiddenStates() ? config.epochs() : 0, result.epochsRun());
      return result.trainingGroups();
    }
  }
}
