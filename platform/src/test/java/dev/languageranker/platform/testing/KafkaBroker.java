package dev.languageranker.platform.testing;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import java.util.HashMap;
import java.util.Map;

/** A broker a test can use: the embedded KRaft broker, or a Testcontainers one with -Dkafka.tests=docker. */
public interface KafkaBroker {
  String bootstrapServers();

  /** Defaults pointed at this broker, with extra settings. */
  default LrConfig config(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(overrides);
    all.put(Settings.BOOTSTRAP_SERVERS.key(), bootstrapServers());
    return LrConfig.builder().overrides(all).build();
  }

  default LrConfig config() {
    return config(Map.of());
  }
}
