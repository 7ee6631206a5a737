package dev.languageranker.trainer;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.platform.kafka.CompactedTopicFollower;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code lr.ranker-models} as ranker services do ({@link CompactedTopicFollower}: all of it, no consumer
 * group): the head per rankerId is what they serve now, so it is the champion, also after a rollback; the highest
 * version ever seen gives the next version number. A tombstone retires a ranker (its champion becomes the fallback).
 */
final class ChampionReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChampionReader.class);

  private final CompactedTopicFollower follower;
  private final Deserializer<RankerRelease> deserializer;
  private final Map<String, RankerRelease> heads = new ConcurrentHashMap<>();
  private final Map<String, Long> maxVersions = new ConcurrentHashMap<>();

  ChampionReader(KafkaClientProperties clients, Deserializer<RankerRelease> deserializer, String clientId) {
    this.deserializer = deserializer;
    this.follower = new CompactedTopicFollower(clients, Topics.RANKER_MODELS.name(), clientId, this::apply,
        () -> log.info("champions read: {}", heads.keySet()), "runs will compare against stale champions");
  }

  void start() {
    follower.start();
  }

  boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower.awaitCaughtUp(timeout);
  }

  /** The release ranker services serve now for {@code rankerId}, or empty when they use the fallback. */
  Optional<RankerRelease> head(String rankerId) {
    return Optional.ofNullable(heads.get(rankerId));
  }

  /** One more than any version of {@code rankerId} seen on the topic (1 for a new ranker). */
  long nextVersion(String rankerId) {
    return maxVersions.getOrDefault(rankerId, 0L) + 1;
  }

  /** Records a release this instance just published, so the next run sees it even before it is read back. */
  void published(RankerRelease release) {
    heads.put(release.getRankerId(), release);
    maxVersions.merge(release.getRankerId(), release.getVersion(), Math::max);
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    String rankerId = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      heads.remove(rankerId);
      return;
    }
    try {
      RankerRelease release = deserializer.deserialize(record.topic(), record.headers(), record.value());
      heads.put(release.getRankerId(), release);
      maxVersions.merge(release.getRankerId(), release.getVersion(), Math::max);
    } catch (RuntimeException e) {
      log.warn("unreadable ranker release at {}-{}@{} ignored: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
