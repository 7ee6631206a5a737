package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What the client commands share: where the cluster is and how long to wait for it. */
public final class ClientOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
      description = "Kafka to talk to (default: bootstrap.servers, localhost:9092).") String bootstrapServers;

  @Option(names = "--schema-registry", paramLabel = "URL",
      description = "Schema Registry URL (default: none).") String schemaRegistry;

  @Option(names = "--timeout", defaultValue = "15s", converter = DurationConverter.class,
      description = "How long to wait for the broker before giving up (default: ${DEFAULT-VALUE}).") Duration timeout;

  /** The configuration with these options applied, and Kafka client timeouts bounded by {@code --timeout}. */
  LrConfig apply(LrConfig config) {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      overrides.put(Settings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    }
    if (schemaRegistry != null) {
      overrides.put(Settings.SCHEMA_REGISTRY_URL.key(), schemaRegistry);
    }
    long ms = timeout.toMillis();
    putIfUnset(config, overrides, "kafka.max.block.ms", ms);
    putIfUnset(config, overrides, "kafka.default.api.timeout.ms", ms);
    long request = Math.min(ms, 30_000);
    putIfUnset(config, overrides, "kafka.request.timeout.ms", request);
    // The producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    putIfUnset(config, overrides, "kafka.delivery.timeout.ms", Math.max(ms, request + 1000));
    return config.with(overrides);
  }

  private static void putIfUnset(LrConfig config, Map<String, String> overrides, String key, long value) {
    if (!config.kafkaProperties().containsKey(key.substring(LrConfig.KAFKA_PREFIX.length()))) {
      overrides.put(key, Long.toString(value));
    }
  }
}
