package dev.languageranker.ranking;

import dev.languageranker.events.RankerRelease;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.KafkaOperationException;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Operator actions on {@code lr.ranker-models}: list the releases still on the topic, publish a bundle, and roll a
 * ranker back by republishing its previous version as the head (ranker services then swap it in).
 */
public final class RankerAdmin {
  private final KafkaClientProperties clients;
  private final EventSerdes serdes;
  private final Duration timeout;

  public RankerAdmin(LrConfig config, Duration timeout) {
    this.clients = new KafkaClientProperties(config);
    this.serdes = new EventSerdes(config);
    this.timeout = timeout;
  }

  /** Every release on the topic, oldest first, grouped by rankerId (sorted). The last of each list is the head. */
  public Map<String, List<RankerRelease>> releases() {
    Map<String, Object> props = clients.consumer("unused", "ranker-admin");
    props.remove("group.id");
    Map<String, List<RankerRelease>> byRanker = new java.util.TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RANKER_MODELS.name(), timeout).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new KafkaOperationException("reading " + Topics.RANKER_MODELS.name() + " timed out after " + timeout,
              null);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String id = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          if (record.value() == null) {
            byRanker.remove(id); // retired
            continue;
          }
          try {
            byRanker.computeIfAbsent(id, k -> new ArrayList<>())
                .add(serdes.of(RankerRelease.class).deserializer().deserialize(record.topic(), record.value()));
          } catch (RuntimeException e) {
            // unreadable releases are skipped here; ranker services count them as refused
          }
        }
      }
    }
    return byRanker;
  }

  /** Publishes a release and waits until the broker has it. */
  public void publish(RankerRelease release) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("ranker-admin"))) {
      producer
          .send(
              new ProducerRecord<>(Topics.RANKER_MODELS.name(), release.getRankerId().getBytes(StandardCharsets.UTF_8),
                  serdes.of(RankerRelease.class).serializer().serialize(Topics.RANKER_MODELS.name(), release)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaOperationException("publishing " + release.getRankerId() + "@" + release.getVersion() + " failed: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaOperationException("publishing timed out after " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaOperationException("interrupted", e);
    }
  }

  /**
   * Republishes the newest version older than the current head as the new head.
   *
   * @return the release published
   * @throws IllegalArgumentException when the ranker is unknown or no older version is left on the topic
   */
  public RankerRelease rollback(String rankerId) {
    List<RankerRelease> history = releases().get(rankerId);
    if (history == null || history.isEmpty()) {
      throw new IllegalArgumentException("no ranker '" + rankerId + "' on " + Topics.RANKER_MODELS.name());
    }
    RankerRelease head = history.get(history.size() - 1);
    Optional<RankerRelease> target = latestPerVersion(history).values().stream()
        .filter(r -> r.getVersion() < head.getVersion())
        .max(Comparator.comparingLong(RankerRelease::getVersion));
    if (target.isEmpty()) {
      throw new IllegalArgumentException("ranker '" + rankerId + "' has no version older than " + head.getVersion()
          + " left on " + Topics.RANKER_MODELS.name() + " (compaction keeps older versions for min.compaction.lag.ms)");
    }
    RankerRelease rollback = RankerReleases.rollback(target.get(), head, Instant.now());
    publish(rollback);
    return rollback;
  }

  /** The newest record of each version. */
  static Map<Long, RankerRelease> latestPerVersion(List<RankerRelease> history) {
    Map<Long, RankerRelease> out = new LinkedHashMap<>();
    history.forEach(r -> out.put(r.getVersion(), r));
    return out;
  }
}
