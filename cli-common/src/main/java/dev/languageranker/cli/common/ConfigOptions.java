package dev.languageranker.cli.common;

import dev.languageranker.platform.config.LrConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command that talks to Kafka shares: a properties file and single-setting overrides. */
public final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file with settings (default: the file named by LR_CONFIG, if set).") Path configFile;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "Overrides one setting (repeatable), e.g. --set bootstrap.servers=broker:9092.") Map<String, String> overrides = new LinkedHashMap<>();

  /** The configuration: defaults, file, LR_ environment variables, then --set. */
  public LrConfig load() {
    return LrConfig.fromEnvironment(configFile, overrides);
  }
}
