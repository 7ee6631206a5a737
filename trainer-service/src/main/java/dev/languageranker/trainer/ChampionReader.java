package dev.languageranker.trainer;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code lr.ranker-models} on its own thread, as ranker services do (all of it, no consumer group): the head
 * per rankerId is what they serve now, so it is the champion, also after a rollback; the highest version ever seen
 * gives the next version number. A tombstone retires a ranker (its champion becomes the fallback).
 */
final class ChampionReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChampionReader.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<RankerRelease> deserializer;
  private final Map<String, RankerRelease> heads = new ConcurrentHashMap<>();
  private final Map<String, Long> maxVersions = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  ChampionReader(KafkaClientProperties clients, Deserializer<RankerRelease> deserializer, String clientId) {
    Map<String, Object> props = clients.consumer("unused", clientId);
    props.remove("group.id");
    this.consumer = new KafkaConsumer<>(props);
    this.deserializer = deserializer;
    this.thread = new Thread(this::run, clientId);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RANKER_MODELS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          apply(record);
        }
        if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          log.info("champions read: {}", heads.keySet());
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("champion reader stopped; runs will compare against stale champions", e);
    } finally {
      consumer.close();
    }
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
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
