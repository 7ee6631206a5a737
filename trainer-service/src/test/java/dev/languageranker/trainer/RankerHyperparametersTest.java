package dev.languageranker.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.train.OptimizerKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-rankerId hyperparameters: the trainer.* defaults, with a ranker's overrides on top, and clear errors. */
class RankerHyperparametersTest {
  private static final RankerHyperparameters DEFAULTS = RankerHyperparameters.defaults(
      LrConfig.builder().overrides(Map.of("trainer.learning.rate", "0.02", "trainer.epochs", "2")).build());

  @Test
  void aRankersOverridesReplaceOnlyTheKeysTheyName() {
    Map<String, RankerHyperparameters> overrides =
        RankerHyperparameters.overrides("math:learning.rate=0.003, epochs=3; fc:architecture=pointwise", DEFAULTS);
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
  void anUnknownKeyOrABadValueIsAConfigurationErrorNamingIt() {
    ConfigException unknown = assertThrows(ConfigException.class, () -> RankerHyperparameters.overrides("math:lr=1", DEFAULTS));
    assertTrue(unknown.getMessage().contains("'lr=1'"), unknown.getMessage());
    ConfigException bad = assertThrows(ConfigException.class,
        () -> RankerHyperparameters.overrides("math:architecture=tree", DEFAULTS));
    assertTrue(bad.getMessage().contains("math"), bad.getMessage());
    assertThrows(ConfigException.class, () -> RankerHyperparameters.overrides("no-colon", DEFAULTS));
  }
}
