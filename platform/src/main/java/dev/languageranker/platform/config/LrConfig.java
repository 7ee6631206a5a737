package dev.languageranker.platform.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved configuration of a process: every {@link Settings} value plus Kafka client properties passed through
 * under the {@code kafka.} prefix. Later sources win: defaults, then the properties file, then {@code LR_}
 * environment variables, then explicit overrides (command-line options). Unknown keys are an error.
 */
public final class LrConfig {
  /** Keys under this prefix go to every Kafka client, with the prefix removed. */
  public static final String KAFKA_PREFIX = "kafka.";

  private final Map<String, Object> values;
  private final Map<String, String> sources;
  private final Map<String, String> kafkaProperties;

  private LrConfig(Map<String, Object> values, Map<String, String> sources, Map<String, String> kafkaProperties) {
    this.values = values;
    this.sources = sources;
    this.kafkaProperties = kafkaProperties;
  }

  /** Defaults only. */
  public static LrConfig defaults() {
    return builder().build();
  }

  /** The configuration of this process: the file named by LR_CONFIG (if any), the environment, then overrides. */
  public static LrConfig fromEnvironment(Path configFile, Map<String, String> overrides) {
    Map<String, String> env = System.getenv();
    Builder builder = builder();
    Path file = configFile;
    if (file == null && env.get(ConfigSources.CONFIG_FILE_VARIABLE) != null) {
      file = Path.of(env.get(ConfigSources.CONFIG_FILE_VARIABLE));
    }
    if (file != null) {
      builder.propertiesFile(file);
    }
    return builder.environment(env).overrides(overrides).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    Object value = values.get(setting.key());
    if (value == null) {
      throw new IllegalArgumentException("not a registered setting: " + setting.key());
    }
    return (T) value;
  }

  /** Where a setting's value came from: default, a file, an environment variable or an override. */
  public String sourceOf(Setting<?> setting) {
    return sources.get(setting.key());
  }

  /** Kafka client properties given under {@code kafka.}, without the prefix (SASL, TLS, tuning). */
  public Map<String, String> kafkaProperties() {
    return kafkaProperties;
  }

  /** A copy with some settings replaced, as if given on the command line. */
  public LrConfig with(Map<String, String> overrides) {
    Builder builder = builder();
    builder.raw.putAll(rawValues());
    builder.rawSources.putAll(sources);
    return builder.overrides(overrides).build();
  }

  private Map<String, String> rawValues() {
    Map<String, String> raw = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.all()) {
      raw.put(setting.key(), String.valueOf(values.get(setting.key())));
    }
    kafkaProperties.forEach((k, v) -> raw.put(KAFKA_PREFIX + k, v));
    return raw;
  }

  /** Collects raw values from sources in order and checks them. */
  public static final class Builder {
    private final Map<String, String> raw = new LinkedHashMap<>();
    private final Map<String, String> rawSources = new LinkedHashMap<>();

    private Builder() {}

    public Builder propertiesFile(Path file) {
      return put(ConfigSources.readPropertiesFile(file), key -> "file " + file);
    }

    public Builder environment(Map<String, String> environment) {
      return put(ConfigSources.fromEnvironment(environment),
          key -> "environment " + ConfigSources.environmentVariable(key));
    }

    public Builder overrides(Map<String, String> overrides) {
      return put(overrides, key -> "override");
    }

    private Builder put(Map<String, String> entries, java.util.function.Function<String, String> source) {
      entries.forEach(
          (key, value) -> {
            String k = key.trim();
            if (!k.startsWith(KAFKA_PREFIX) && Settings.byKey(k) == null) {
              throw new ConfigException("unknown setting '" + k + "' (from " + source.apply(k) + "); "
                  + "see 'language-ranker config' for the known settings, or prefix Kafka client properties with 'kafka.'");
            }
            if (k.equals(KAFKA_PREFIX)) {
              throw new ConfigException("empty Kafka property name (from " + source.apply(k) + ")");
            }
            raw.put(k, value);
            rawSources.put(k, source.apply(k));
          });
      return this;
    }

    public LrConfig build() {
      Map<String, Object> values = new LinkedHashMap<>();
      Map<String, String> sources = new LinkedHashMap<>();
      for (Setting<?> setting : Settings.all()) {
        String given = raw.get(setting.key());
        String text = given == null ? setting.defaultValue() : given;
        String source = given == null ? "default" : rawSources.get(setting.key());
        try {
          values.put(setting.key(), setting.parse(text));
        } catch (RuntimeException e) {
          throw new ConfigException("setting '" + setting.key() + "' (from " + source + "): " + e.getMessage()
              + "; expected a " + setting.type().name() + " such as " + setting.type().example(), e);
        }
        sources.put(setting.key(), source);
      }
      Map<String, String> kafka = new TreeMap<>();
      raw.forEach((k, v) -> {
        if (k.startsWith(KAFKA_PREFIX)) {
          kafka.put(k.substring(KAFKA_PREFIX.length()), v);
        }
      });
      return new LrConfig(Collections.unmodifiableMap(values), Collections.unmodifiableMap(sources),
          Collections.unmodifiableMap(kafka));
    }
  }
}
