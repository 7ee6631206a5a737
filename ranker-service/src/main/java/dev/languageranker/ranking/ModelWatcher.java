package dev.languageranker.ranking;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Reads all of {@code lr.ranker-models} (every instance, no consumer group) on its own thread, loads and validates
 * each release there, and swaps valid ones into the {@link RankerRegistry}; stream threads only ever see a ready
 * version. A refused release is logged and counted, and the active version keeps serving.
 */
public final class ModelWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<RankerRelease> deserializer;
  private final RankerRegistry registry;
  private final RankerMetrics metrics;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  public ModelWatcher(KafkaClientProperties clients, Deserializer<RankerRelease> deserializer, RankerRegistry registry,
      RankerMetrics metrics, String clientId) {
    Map<String, Object> props = clients.consumer("unused", clientId);
    props.remove("group.id"); // assigned partitions, no group: every instance reads everything
    this.consumer = new KafkaConsumer<>(props);
    this.deserializer = deserializer;
    this.registry = registry;
    this.metrics = metrics;
    this.thread = new Thread(this::run, clientId);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Waits until every release that existed at start has been applied; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
          log.info("ranker versions loaded: {}", registry.snapshot().keySet());
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("model watcher stopped; the loaded versions keep serving but no new ones arrive", e);
    } finally {
      consumer.close();
    }
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
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
