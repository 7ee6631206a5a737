package dev.languageranker.trainer;

import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.train.LearningRateSchedule;
import dev.languageranker.ranker.train.OptimizerKind;
import dev.languageranker.ranker.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How one ranker is trained: the {@code trainer.*} defaults with that rankerId's entries of {@code trainer.overrides}
 * applied.
 */
public record RankerHyperparameters(
    RankerArchitecture architecture, OptimizerKind optimizer, float learningRate, int epochs, int batchSize,
    int groupSize, int groupsPerPrompt, long seed) {

  /** The keys {@code trainer.overrides} accepts. */
  static final java.util.List<String> OVERRIDABLE = java.util.List.of("architecture", "optimizer", "learning.rate",
      "epochs", "batch.size", "group.size", "groups.per.prompt", "seed");

  public RankerHyperparameters {
    if (!(learningRate > 0) || epochs < 1 || batchSize < 1 || groupSize < 1 || groupsPerPrompt < 1) {
      throw new IllegalArgumentException("need learning rate > 0 and positive epochs, batch size, group size and groups per prompt");
    }
  }

  /** The defaults from {@code trainer.*}. */
  static RankerHyperparameters defaults(LrConfig config) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("architecture", config.get(Settings.TRAINER_ARCHITECTURE));
    values.put("optimizer", config.get(Settings.TRAINER_OPTIMIZER));
    values.put("learning.rate", String.valueOf(config.get(Settings.TRAINER_LEARNING_RATE)));
    values.put("epochs", String.valueOf(config.get(Settings.TRAINER_EPOCHS)));
    values.put("batch.size", String.valueOf(config.get(Settings.TRAINER_BATCH_SIZE)));
    values.put("group.size", String.valueOf(config.get(Settings.TRAINER_GROUP_SIZE)));
    values.put("groups.per.prompt", String.valueOf(config.get(Settings.TRAINER_GROUPS_PER_PROMPT)));
    values.put("seed", String.valueOf(config.get(Settings.TRAINER_SEED)));
    return parse(values, "trainer.*");
  }

  /**
   * Per-rankerId hyperparameters from {@code trainer.overrides} ({@code id:key=value,key=value;id2:key=value}) on top
   * of {@code defaults}; a malformed entry or unknown key is a {@link ConfigException} naming it.
   */
  static Map<String, RankerHyperparameters> overrides(String spec, RankerHyperparameters defaults) {
    Map<String, RankerHyperparameters> out = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.lastIndexOf(':');
      if (colon <= 0) {
        throw new ConfigException("trainer.overrides: '" + entry + "' is not rankerId:key=value,...");
      }
      String rankerId = entry.substring(0, colon).trim();
      Map<String, String> values = defaults.asMap();
      for (String pair : entry.substring(colon + 1).split(",")) {
        String[] kv = pair.split("=", 2);
        String key = kv[0].trim();
        if (kv.length != 2 || !OVERRIDABLE.contains(key)) {
          throw new ConfigException("trainer.overrides: '" + pair.trim() + "' for ranker '" + rankerId
              + "' is not key=value with a key among " + OVERRIDABLE);
        }
        values.put(key, kv[1].trim());
      }
      out.put(rankerId, parse(values, "trainer.overrides for '" + rankerId + "'"));
    }
    return out;
  }

  /** The ranker-core training configuration; the hold-out fraction is the gate's, so the hold-out is never trained on. */
  public TrainingConfig trainingConfig(double holdoutFraction) {
    return new TrainingConfig(architecture, RankerConfig.DEFAULT_PROJECTION_DIM, RankerConfig.DEFAULT_BLOCKS, null,
        optimizer, learningRate, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, batchSize, epochs, groupSize,
        groupsPerPrompt, holdoutFraction, seed);
  }

  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("architecture", architecture.name());
    m.put("optimizer", optimizer.name());
    m.put("learning.rate", String.valueOf(learningRate));
    m.put("epochs", String.valueOf(epochs));
    m.put("batch.size", String.valueOf(batchSize));
    m.put("group.size", String.valueOf(groupSize));
    m.put("groups.per.prompt", String.valueOf(groupsPerPrompt));
    m.put("seed", String.valueOf(seed));
    return m;
  }

  private static RankerHyperparameters parse(Map<String, String> v, String where) {
    try {
      return new RankerHyperparameters(
          RankerArchitecture.valueOf(v.get("architecture").toUpperCase(Locale.ROOT)),
          OptimizerKind.valueOf(v.get("optimizer").toUpperCase(Locale.ROOT)),
          Float.parseFloat(v.get("learning.rate")),
          Integer.parseInt(v.get("epochs")),
          Integer.parseInt(v.get("batch.size")),
          Integer.parseInt(v.get("group.size")),
          Integer.parseInt(v.get("groups.per.prompt")),
          Long.parseLong(v.get("seed")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage() + " (values " + v + ")");
    }
  }
}
