package dev.languageranker.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.platform.kafka.KafkaClientProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrConfigTest {
  @TempDir Path dir;

  @Test
  void withoutSourcesEverySettingHasItsDefault() {
    LrConfig config = LrConfig.defaults();

    assertEquals("localhost:9092", config.get(Settings.BOOTSTRAP_SERVERS));
    assertEquals(6, config.get(Settings.TOPICS_PARTITIONS));
    assertEquals(Duration.ofDays(7), config.get(Settings.TOPICS_RETENTION));
    assertEquals("default", config.sourceOf(Settings.TOPICS_PARTITIONS));
    for (Setting<?> setting : Settings.all()) {
      config.get(setting); // every default parses
    }
  }

  @Test
  void laterSourcesWinFileThenEnvironmentThenOverrides() throws Exception {
    Path file = write("topics.partitions=3\nmetrics.port=9999\nbootstrap.servers=file:9092\n");

    LrConfig config = LrConfig.builder()
        .propertiesFile(file)
        .environment(Map.of("LR_METRICS_PORT", "7000", "LR_BOOTSTRAP_SERVERS", "env:9092", "PATH", "/bin"))
        .overrides(Map.of("bootstrap.servers", "cli:9092"))
        .build();

    assertEquals(3, config.get(Settings.TOPICS_PARTITIONS));
    assertEquals(7000, config.get(Settings.METRICS_PORT));
    assertEquals("cli:9092", config.get(Settings.BOOTSTRAP_SERVERS));
    assertTrue(config.sourceOf(Settings.TOPICS_PARTITIONS).startsWith("file "));
    assertEquals("environment LR_METRICS_PORT", config.sourceOf(Settings.METRICS_PORT));
  }

  @Test
  void anUnknownKeyInTheFileIsAnErrorNamingKeyAndFile() throws Exception {
    Path file = write("topics.partitions=3\ntopic.partitions=4\n");

    ConfigException e = assertThrows(ConfigException.class, () -> LrConfig.builder().propertiesFile(file).build());

    assertTrue(e.getMessage().contains("'topic.partitions'"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void anUnknownEnvironmentVariableIsAnErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LrConfig.builder().environment(Map.of("LR_METRICS_PROT", "1")).build());

    assertTrue(e.getMessage().contains("metrics.prot"), e.getMessage());
    assertTrue(e.getMessage().contains("LR_METRICS_PROT"), e.getMessage());
  }

  @Test
  void aValueOfTheWrongTypeIsAnErrorNamingKeySourceAndType() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LrConfig.builder().environment(Map.of("LR_TOPICS_PARTITIONS", "six")).build());

    assertTrue(e.getMessage().contains("topics.partitions"), e.getMessage());
    assertTrue(e.getMessage().contains("LR_TOPICS_PARTITIONS"), e.getMessage());
    assertTrue(e.getMessage().contains("'six' is not an integer"), e.getMessage());
  }

  @Test
  void durationsTakeUnits() {
    LrConfig config = LrConfig.builder().overrides(Map.of("streams.commit.interval", "250ms",
        "topics.retention", "2h", "schema.registry.timeout", "PT3S")).build();

    assertEquals(Duration.ofMillis(250), config.get(Settings.STREAMS_COMMIT_INTERVAL));
    assertEquals(Duration.ofHours(2), config.get(Settings.TOPICS_RETENTION));
    assertEquals(Duration.ofSeconds(3), config.get(Settings.SCHEMA_REGISTRY_TIMEOUT));
    assertThrows(ConfigException.class,
        () -> LrConfig.builder().overrides(Map.of("topics.retention", "soon")).build());
  }

  @Test
  void kafkaPrefixedPropertiesPassThroughToEveryClientAndWin() {
    LrConfig config = LrConfig.builder()
        .environment(Map.of("LR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))
        .overrides(Map.of("kafka.sasl.mechanism", "PLAIN", "kafka.acks", "1"))
        .build();
    KafkaClientProperties clients = new KafkaClientProperties(config);

    assertEquals("SASL_SSL", clients.admin().get("security.protocol"));
    assertEquals("PLAIN", clients.consumer("g", "c").get("sasl.mechanism"));
    assertEquals("1", clients.producer("p").get("acks"));
    assertEquals("SASL_SSL", clients.streams("app", "svc").get("security.protocol"));
  }

  @Test
  void theConfigFileVariableIsNotASetting() {
    LrConfig config = LrConfig.builder().environment(Map.of("LR_CONFIG", "/nonexistent")).build();

    assertEquals("default", config.sourceOf(Settings.BOOTSTRAP_SERVERS));
  }

  @Test
  void theLauncherAndLoggingVariablesAreNotSettings() {
    LrConfig config = LrConfig.builder().environment(Map.of("LR_JAVA_OPTS", "-Xmx2g", "LR_LOG_LEVEL", "WARN")).build();

    assertEquals("default", config.sourceOf(Settings.BOOTSTRAP_SERVERS));
  }

  @Test
  void aMissingFileIsAClearError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LrConfig.builder().propertiesFile(dir.resolve("missing.properties")).build());

    assertTrue(e.getMessage().contains("missing.properties"), e.getMessage());
  }

  @Test
  void withReplacesSettingsAndKeepsTheRest() {
    LrConfig config = LrConfig.builder().overrides(Map.of("topics.partitions", "2", "kafka.acks", "1")).build();

    LrConfig changed = config.with(Map.of("bootstrap.servers", "other:9092"));

    assertEquals("other:9092", changed.get(Settings.BOOTSTRAP_SERVERS));
    assertEquals(2, changed.get(Settings.TOPICS_PARTITIONS));
    assertEquals("1", changed.kafkaProperties().get("acks"));
  }

  private Path write(String text) throws Exception {
    Path file = dir.resolve("lr.properties");
    Files.writeString(file, text);
    return file;
  }
}
