package dev.languageranker.generator;

import dev.languageranker.events.FeatureDtype;
import dev.languageranker.generator.runtime.RuntimeOptions;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;

/** The generator's settings, read from the configuration and checked once. */
public record GeneratorSettings(
    Path modelDirectory, String modelId, RuntimeOptions runtime, FeatureDtype featureDtype, int batchTokens,
    int defaultK, int maxK, int defaultMaxNewTokens, String instanceId) {

  public GeneratorSettings {
    if (batchTokens < 1) {
      throw new ConfigException("generator.batch.tokens must be positive, got " + batchTokens);
    }
    if (maxK < 1 || defaultK < 1 || defaultK > maxK) {
      throw new ConfigException("generator.k.default (" + defaultK + ") must be in 1..generator.k.max (" + maxK + ")");
    }
    if (defaultMaxNewTokens < 1) {
      throw new ConfigException("generator.max.new.tokens must be positive, got " + defaultMaxNewTokens);
    }
  }

  public static GeneratorSettings from(LrConfig config) {
    Path directory = config.get(Settings.GENERATOR_MODEL_DIR);
    String modelId = config.get(Settings.GENERATOR_MODEL_ID);
    if (modelId.isBlank()) {
      Path name = directory.toAbsolutePath().normalize().getFileName();
      modelId = name == null ? directory.toString() : name.toString();
    }
    RuntimeOptions runtime;
    try {
      runtime = new RuntimeOptions(config.get(Settings.GENERATOR_DEVICE), config.get(Settings.GENERATOR_COMPUTE_DTYPE),
          config.get(Settings.GENERATOR_LAYER_FRACTION), null);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("generator.layer.fraction: " + e.getMessage(), e);
    }
    try {
      runtime = runtime.withPooling(FeaturePooling.parse(config.get(Settings.GENERATOR_FEATURE_POOLING)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("generator.feature.pooling: " + e.getMessage(), e);
    }
    String instance = config.get(Settings.GENERATOR_INSTANCE_ID);
    return new GeneratorSettings(directory, modelId, runtime,
        featureDtype(config.get(Settings.GENERATOR_FEATURE_DTYPE)),
        config.get(Settings.GENERATOR_BATCH_TOKENS), config.get(Settings.GENERATOR_K_DEFAULT),
        config.get(Settings.GENERATOR_K_MAX), config.get(Settings.GENERATOR_MAX_NEW_TOKENS),
        instance.isBlank() ? hostName() : instance);
  }

  /** The transactional id of this instance's producer. */
  public String transactionalId() {
    return GeneratorService.GROUP_ID + "-" + instanceId;
  }

  static FeatureDtype featureDtype(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "bfloat16", "bf16" -> FeatureDtype.BFLOAT16;
      case "float32", "f32", "fp32" -> FeatureDtype.FLOAT32;
      default -> throw new ConfigException("generator.feature.dtype '" + name + "' is not bfloat16 or float32");
    };
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
