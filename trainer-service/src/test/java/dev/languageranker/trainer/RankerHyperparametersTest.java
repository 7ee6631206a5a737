package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.train.OptimizerKind;
import dev.languageranker.ranker.train.TrainingConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-rankerId hyperparameters: the trainer.* defaults (ranker-core's training defaults with every side feature), with
 * a ranker's overrides on top, and clear errors.
 */
class RankerHyperparametersTest {
  private static final RankerHyperparameters DEFAULTS = RankerHyperparameters.defaults(
      LrConfig.builder().overrides(Map.of("trainer.learning.rate", "0.02", "trainer.epochs", "2")).build());

  @Test
  void aRankersOverridesReplaceOnlyTheKeysTheyName() {
    Map<String, RankerHyperparameters> overrides = RankerHyperparameters
        .overrides("math:learning.rate=0.003, epochs=3; fc:architecture=pointwise", DEFAULTS);
    assertEquals(0.003f, overrides.get("math").learningRate());
    assertEquals(3, overrides.get("math").epochs());
    assertEquals(RankerArchitecture.LISTWISE, overrides.get("math").architecture());
    assertEquals(RankerArchitecture.POINTWISE, overrides.get("fc").architecture());
    assertEquals(0.02f, overrides.get("fc").learningRate());
    assertEquals(2, overrides.get("fc").epochs());
    assertEquals(OptimizerKind.ADAMW, DEFAULTS.optimizer());
    assertEquals(0.2, DEFAULTS.trainingConfig(0.2).holdoutFraction());
  }

  @Test
  void theDefaultSettingsAreRankerCoresDefaultsWithEverySideFeature() {
    TrainingConfig fromSettings = RankerHyperparameters.defaults(LrConfig.builder().build()).trainingConfig(0.2);
    TrainingConfig expected = TrainingConfig.defaults().withSideFeatures(List.of(SideFeature.values()))
        .withHoldoutFraction(0.2);
    assertEquals(expected, fromSettings);
    assertFalse(RankerHyperparameters.defaults(LrConfig.builder().build()).warmStart());
  }

  @Test
  void sideFeaturesHiddenStatesAndEarlyStoppingAreSettingsWithPerRankerOverrides() {
    RankerHyperparameters plain = RankerHyperparameters.defaults(LrConfig.builder().overrides(Map.of(
        "trainer.side.features", "none", "trainer.validation.fraction", "0", "trainer.standardize", "false",
        "trainer.warm-start", "true")).build());
    TrainingConfig config = plain.trainingConfig(0.2);
    assertEquals(List.of(), config.sideFeatures());
    assertEquals(0.0, config.validationFraction());
    assertFalse(config.standardize());
    assertTrue(plain.warmStart());
    Map<String, RankerHyperparameters> overrides = RankerHyperparameters.overrides(
        "math:side.features=logprob_z+vote_share,hidden.states=false,patience=4,warm-start=false", plain);
    TrainingConfig math = overrides.get("math").trainingConfig(0.2);
    assertEquals(List.of(SideFeature.VOTE_SHARE, SideFeature.LOGPROB_Z), math.sideFeatures());
    assertFalse(math.hiddenStates());
    assertEquals(4, math.patience());
    assertFalse(overrides.get("math").warmStart());
    ConfigException sideOnlyWithoutSide = assertThrows(ConfigException.class,
        () -> RankerHyperparameters.overrides("fc:hidden.states=false", plain));
    assertTrue(sideOnlyWithoutSide.getMessage().contains("side features"), sideOnlyWithoutSide.getMessage());
    assertThrows(ConfigException.class, () -> RankerHyperparameters.overrides("fc:side.features=votes", plain));
  }

  @Test
  void anUnknownKeyOrABadValueIsAConfigurationErrorNamingIt() {
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> RankerHyperparameters.overrides("math:lr=1", DEFAULTS));
    assertTrue(unknown.getMessage().contains("'lr=1'"), unknown.getMessage());
    ConfigException bad = assertThrows(ConfigException.class,
        () -> RankerHyperparameters.overrides("math:architecture=tree", DEFAULTS));
    assertTrue(bad.getMessage().contains("math"), bad.getMessage());
    assertThrows(ConfigException.class, () -> RankerHyperparameters.overrides("no-colon", DEFAULTS));
  }
}
