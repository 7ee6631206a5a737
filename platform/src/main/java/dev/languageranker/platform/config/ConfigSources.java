package dev.languageranker.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Reads raw settings from a properties file and from {@code LR_} environment variables. */
final class ConfigSources {
  static final String ENV_PREFIX = "LR_";
  /** Names the properties file; not a setting itself. */
  static final String CONFIG_FILE_VARIABLE = "LR_CONFIG";
  /** Variables of the launcher and the logging, not settings: LR_CONFIG, and bin/language-ranker's and logback's. */
  static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of(CONFIG_FILE_VARIABLE, "LR_JAVA_OPTS",
      "LR_LOG_LEVEL");

  private ConfigSources() {}

  static String environmentVariable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** LR_SCHEMA_REGISTRY_URL -> schema.registry.url; LR_KAFKA_SASL_MECHANISM -> kafka.sasl.mechanism. */
  static String keyOf(String environmentVariable) {
    return environmentVariable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  static Map<String, String> readPropertiesFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, properties.getProperty(k)));
    return values;
  }

  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    environment.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !NOT_SETTINGS.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> values.put(keyOf(e.getKey()), e.getValue()));
    return values;
  }
}
