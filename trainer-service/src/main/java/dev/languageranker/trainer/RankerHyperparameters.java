package dev.languageranker.trainer;

import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.side.SideFeature;
import dev.languageranker.ranker.train.OptimizerKind;
import dev.languageranker.ranker.train.TrainingConfig;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How one ranker is trained: the {@code trainer.*} defaults with that rankerId's entries of {@code trainer.overrides}
 * applied, on top of ranker-core's {@link TrainingConfig#defaults()} (what it does not name, e.g. momentum and the
 * projection's size, comes from there).
 *
 * @param sideFeatures in {@link SideFeature} order; empty for the paper's hidden-state ranker
 * @param warmStart start from the champion's weights when its shape matches, else fresh
 */
public record RankerHyperparameters(
    RankerArchitecture architecture, List<SideFeature> sideFeatures, boolean hiddenStates, OptimizerKind optimizer,
    float learningRate, float weightDecay, int epochs, int batchSize, int groupSize, int groupsPerPrompt,
    double validationFraction, int patience, boolean standardize, boolean warmStart, long seed) {

  /** The keys {@code trainer.overrides} accepts. */
  static final List<String> OVERRIDABLE = List.of("architecture", "side.features", "hidden.states", "optimizer",
      "learning.rate", "weight.decay", "epochs", "batch.size", "group.size", "groups.per.prompt", "validation.fraction",
      "patience", "standardize", "warm-start", "seed");

  public RankerHyperparameters {
    sideFeatures = List.copyOf(sideFeatures);
    if (!(learningRate > 0) || !(weightDecay >= 0) || epochs < 1 || batchSize < 1 || groupSize < 1
        || groupsPerPrompt < 1
        || patience < 1) {
      throw new IllegalArgumentException("need learning rate > 0, weight decay >= 0 and positive epochs, batch size, "
          + "group size, groups per prompt and patience");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1)");
    }
    if (!hiddenStates && sideFeatures.isEmpty()) {
      throw new IllegalArgumentException("a ranker that reads no hidden states needs side features");
    }
  }

  /** The defaults from {@code trainer.*}. */
  static RankerHyperparameters defaults(LrConfig config) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("architecture", config.get(Settings.TRAINER_ARCHITECTURE));
    values.put("side.features", config.get(Settings.TRAINER_SIDE_FEATURES));
    values.put("hidden.states", String.valueOf(config.get(Settings.TRAINER_HIDDEN_STATES)));
    values.put("optimizer", config.get(Settings.TRAINER_OPTIMIZER));
    values.put("learning.rate", String.valueOf(config.get(Settings.TRAINER_LEARNING_RATE)));
    values.put("weight.decay", String.valueOf(config.get(Settings.TRAINER_WEIGHT_DECAY)));
    values.put("epochs", String.valueOf(config.get(Settings.TRAINER_EPOCHS)));
    values.put("batch.size", String.valueOf(config.get(Settings.TRAINER_BATCH_SIZE)));
    values.put("group.size", String.valueOf(config.get(Settings.TRAINER_GROUP_SIZE)));
    values.put("groups.per.prompt", String.valueOf(config.get(Settings.TRAINER_GROUPS_PER_PROMPT)));
    values.put("validation.fraction", String.valueOf(config.get(Settings.TRAINER_VALIDATION_FRACTION)));
    values.put("patience", String.valueOf(config.get(Settings.TRAINER_PATIENCE)));
    values.put("standardize", String.valueOf(config.get(Settings.TRAINER_STANDARDIZE)));
    values.put("warm-start", String.valueOf(config.get(Settings.TRAINER_WARM_START)));
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
              + "' is not key=value with a key among " + OVERRIDABLE + " (side features are joined with '+')");
        }
        values.put(key, kv[1].trim());
      }
      out.put(rankerId, parse(values, "trainer.overrides for '" + rankerId + "'"));
    }
    return out;
  }

  /**
   * The ranker-core training configuration: {@link TrainingConfig#defaults()} with these values; the hold-out fraction
   * is the gate's, so the hold-out is never trained on.
   */
  public TrainingConfig trainingConfig(double holdoutFraction) {
    return TrainingConfig.defaults()
        .withArchitecture(architecture).withSideFeatures(sideFeatures).withHiddenStates(hiddenStates)
        .withOptimizer(optimizer, learningRate).withWeightDecay(weightDecay)
        .withBatching(batchSize, epochs, groupsPerPrompt).withGroupSize(groupSize)
        .withEarlyStopping(validationFraction, patience).withStandardization(standardize)
        .withHoldoutFraction(holdoutFraction).withSeed(seed);
  }

  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("architecture", architecture.name());
    m.put("side.features", sideFeatures.isEmpty() ? "none"
        : sideFeatures.stream().map(SideFeature::key).collect(Collectors.joining("+")));
    m.put("hidden.states", String.valueOf(hiddenStates));
    m.put("optimizer", optimizer.name());
    m.put("learning.rate", String.valueOf(learningRate));
    m.put("weight.decay", String.valueOf(weightDecay));
    m.put("epochs", String.valueOf(epochs));
    m.put("batch.size", String.valueOf(batchSize));
    m.put("group.size", String.valueOf(groupSize));
    m.put("groups.per.prompt", String.valueOf(groupsPerPrompt));
    m.put("validation.fraction", String.valueOf(validationFraction));
    m.put("patience", String.valueOf(patience));
    m.put("standardize", String.valueOf(standardize));
    m.put("warm-start", String.valueOf(warmStart));
    m.put("seed", String.valueOf(seed));
    return m;
  }

  /** Side features named in {@code spec} (separated by ',' or '+'; "none" or blank: none), in enum order. */
  static List<SideFeature> sideFeatures(String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) {
      return List.of();
    }
    return Arrays.stream(spec.split("[,+]")).filter(s -> !s.isBlank()).map(SideFeature::parse).distinct()
        .sorted(Comparator.naturalOrder()).toList();
  }

  private static RankerHyperparameters parse(Map<String, String> v, String where) {
    try {
      return new RankerHyperparameters(
          RankerArchitecture.valueOf(v.get("architecture").toUpperCase(Locale.ROOT)),
          sideFeatures(v.get("side.features")),
          bool(v.get("hidden.states")),
          OptimizerKind.valueOf(v.get("optimizer").toUpperCase(Locale.ROOT)),
          Float.parseFloat(v.get("learning.rate")),
          Float.parseFloat(v.get("weight.decay")),
          Integer.parseInt(v.get("epochs")),
          Integer.parseInt(v.get("batch.size")),
          Integer.parseInt(v.get("group.size")),
          Integer.parseInt(v.get("groups.per.prompt")),
          Double.parseDouble(v.get("validation.fraction")),
          Integer.parseInt(v.get("patience")),
          bool(v.get("standardize")),
          bool(v.get("warm-start")),
          Long.parseLong(v.get("seed")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage() + " (values " + v + ")");
    }
  }

  private static boolean bool(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    };
  }
}
