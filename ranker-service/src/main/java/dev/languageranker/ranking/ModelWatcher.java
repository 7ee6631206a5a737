package dev.languageranker.ranking;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.platform.kafka.CompactedTopicFollower;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows all of {@code lr.ranker-models} (every instance, no consumer group; {@link CompactedTopicFollower}), loads
 * and validates each release on the follower's thread, and swaps valid ones into the {@link RankerRegistry}; stream threads only ever see a ready
 * version. A refused release is logged and counted, and the active version keeps serving.
 */
public final class ModelWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

  private final CompactedTopicFollower follower;
  private final Deserializer<RankerRelease> deserializer;
  private final RankerRegistry registry;
  private final RankerMetrics metrics;

  public ModelWatcher(KafkaClientProperties clients, Deserializer<RankerRelease> deserializer, RankerRegistry registry,
      RankerMetrics metrics, String clientId) {
    this.deserializer = deserializer;
    this.registry = registry;
    this.metrics = metrics;
    this.follower = new CompactedTopicFollower(clients, Topics.RANKER_MODELS.name(), clientId, this::apply,
        () -> log.info("ranker versions loaded: {}", registry.snapshot().keySet()),
        "the loaded versions keep serving but no new ones arrive");
  }

  public void start() {
    follower.start();
  }

  /** Waits until every release that existed at start has been applied; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower.awaitCaughtUp(timeout);
  }

  void apply(ConsumerRecord<byte[], byte[]> record) {
    String rankerId = record.key() == null ? "?" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      log.info("ranker {} retired (tombstone on {})", rankerId, record.topic());
      registry.retire(rankerId);
      return;
    }
    RankerRelease release;
    try {
      release = deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      log.warn("unreadable ranker release at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
      metrics.refused(rankerId, "unreadable");
      return;
    }
    apply(release);
  }

  /** Applies one release: a rollback re-activates a kept version, anything else is loaded and validated. */
  public void apply(RankerRelease release) {
    String id = release.getRankerId();
    long version = release.getVersion();
    var active = registry.active(id);
    if (active.isPresent() && active.get().version() == version) {
      return; // already the head (a replay, or a rollback of what is active)
    }
    if (registry.reactivate(id, version)) {
      log.info("ranker {} rolled back to kept version {}", id, version);
      metrics.swapped(id, version);
      return;
    }
    try {
      LoadedRanker loaded = ReleaseLoader.load(release);
      registry.install(loaded);
      metrics.swapped(id, version);
      log.info("ranker {} version {} ({}, layer {}, dim {}) is now active", id, version, release.getArchitecture(),
          release.getFeatureLayer(), release.getFeatureDim());
    } catch (ReleaseLoader.RefusedRelease e) {
      metrics.refused(id, e.code());
      log.warn("ranker {} version {} refused ({}): {}; {} keeps serving", id, version, e.code(), e.getMessage(),
          active.map(LoadedRanker::toString).orElse("the fallback"));
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
