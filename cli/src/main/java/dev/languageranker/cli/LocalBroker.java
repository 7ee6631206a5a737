package dev.languageranker.cli;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.TopicBootstrapper;
import dev.languageranker.platform.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** The embedded broker with the topic catalogue on it: what {@code broker} and {@code local} run. */
final class LocalBroker {
  private LocalBroker() {}

  /** A started broker (data kept in {@code dataDir}) and the configuration pointed at it. */
  record Started(EmbeddedKafka broker, LrConfig config, TopicBootstrapper.Report topics) {}

  static Started start(LrConfig config, Path dataDir, int port) {
    EmbeddedKafka broker = EmbeddedKafka.start(dataDir, port);
    LrConfig local = config.with(Map.of(Settings.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers()));
    return new Started(broker, local, ensureTopics(local));
  }

  /** Creates the catalogue's missing topics. */
  static TopicBootstrapper.Report ensureTopics(LrConfig config) {
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      return new TopicBootstrapper(admin, config, Duration.ofSeconds(30)).ensure(Topics.ALL);
    }
  }
}
