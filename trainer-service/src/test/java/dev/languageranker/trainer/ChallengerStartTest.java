package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranker.train.TrainingConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Warm or fresh, and why: the setting, a fallback champion, and a champion of another shape each train fresh. */
class ChallengerStartTest {
  private static final TrainingConfig CONFIG = TrainingConfig.defaults()
      .withSideFeatures(List.of(SideFeature.values()));

  @Test
  void trainsFreshWhenTheSettingIsOffOrTheChampionIsTheFallback() {
    ChallengerStart off = ChallengerStart.choose(false, null, Optional.empty(), CONFIG, null);
    assertFalse(off.warm());
    assertEquals("trained fresh (trainer.warm-start is off)", off.description());
    ChallengerStart fallback = ChallengerStart.choose(true, null, Optional.empty(), CONFIG, null);
    assertFalse(fallback.warm());
    assertTrue(fallback.description().contains("the champion is the fallback strategy"), fallback.description());
  }

  @Test
  void warmStartsFromAChampionOfTheSameShapeOnlyAndNamesWhatDiffers() {
    try (NDManager manager = NDManager.newBaseManager();
        TrainingSet set = SyntheticFeatures.of(20, 4, 16, 1).build(manager)) {
      RankerConfig same = CONFIG.rankerConfig(set.dim(), set.layer());
      try (Ranker fits = ranker(manager, same);
          Ranker pointwise = ranker(manager, CONFIG
              .withArchitecture(dev.languageranker.ranker.model.RankerArchitecture.POINTWISE)
              .rankerConfig(set.dim(), set.layer()))) {
        ChallengerStart warm = ChallengerStart.choose(true, fits, Optional.of(4L), CONFIG, set);
        assertTrue(warm.warm());
        assertEquals("warm-started from the champion's weights (version 4)", warm.description());
        ChallengerStart fresh = ChallengerStart.choose(true, pointwise, Optional.of(5L), CONFIG, set);
        assertFalse(fresh.warm());
        assertTrue(
            fresh.description().startsWith("trained fresh: the champion (version 5) does not fit the challenger: "
                + "architecture: starting weights POINTWISE, challenger LISTWISE"),
            fresh.description());
      }
    }
  }

  private static Ranker ranker(NDManager parent, RankerConfig config) {
    NDManager manager = parent.newSubManager();
    RankerNetwork network = RankerNetwork.of(config);
    return new Ranker(network, RankerWeights.initialize(manager, network.parameters(), 3), manager);
  }
}
