package dev.languageranker.trainer;

import dev.languageranker.events.TrainingExample;
import dev.languageranker.platform.kafka.DeadLetterPublisher;
import dev.languageranker.platform.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's consumer loop on {@code lr.training-examples-by-ranker} (consumer group {@code lr-trainer}): each
 * partition, and so each rankerId, has one owner. It stores examples in their ranker's training set (dead-lettering
 * those that do not fit), makes the sets durable with their offsets, and starts runs: when
 * {@code trainer.retrain.min-new-requests} new requests arrived or {@code trainer.retrain.interval} passed with any,
 * never two of one ranker at once, at most {@code trainer.max.parallel.runs} at once. A partition is handed on (a
 * rebalance, or this instance leaving) only once its rankers' runs have finished, so no two instances ever train one
 * ranker at the same time.
 */
final class TrainerLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(TrainerLoop.class);
  /** How often the sets are made durable and the group offsets committed while examples flow. */
  private static final Duration FLUSH_EVERY = Duration.ofSeconds(5);
  /** The longest a partition's hand-over waits for its rankers' runs to finish. */
  static final Duration HANDOVER_TIMEOUT = Duration.ofMinutes(4);

  /** The loop's settings. */
  record Settings(int minNewRequests, Duration interval, Duration retryBackoff, int shardRequests) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<TrainingExample> deserializer;
  private final DeadLetterPublisher deadLetters;
  private final org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer;
  private final TrainingStore store;
  private final TrainingRunner runner;
  private final ExecutorService runs;
  private final TrainerMetrics metrics;
  private final Settings settings;
  private final String topic = Topics.TRAINING_EXAMPLES_BY_RANKER.name();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> retryAt = new ConcurrentHashMap<>();
  private final Set<String> watched = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private long lastFlush = System.nanoTime();

  TrainerLoop(KafkaConsumer<byte[], byte[]> consumer, Deserializer<TrainingExample> deserializer,
      DeadLetterPublisher deadLetters, org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer,
      TrainingStore store, TrainingRunner runner, ExecutorService runs, TrainerMetrics metrics, Settings settings) {
    this.consumer = consumer;
    this.deserializer = deserializer;
    this.deadLetters = deadLetters;
    this.producer = producer;
    this.store = store;
    this.runner = runner;
    this.runs = runs;
    this.metrics = metrics;
    this.settings = settings;
  }

  @Override
  public void run() {
    store.all().forEach(this::watch);
    consumer.subscribe(java.util.List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // The group hands these partitions on only after this returns: their rankers' runs finish here first, so the
        // new owner never trains a ranker while this instance still does.
        awaitRunsOn(partitions);
        flushAll();
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
          store.resumeOffset(tp.partition()).ifPresentOrElse(o -> consumer.seek(tp, o),
              () -> consumer.seekToBeginning(java.util.List.of(tp)));
        }
        log.info("trainer owns partitions {} of {}", partitions, topic);
      }
    });
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          handle(record);
        }
        if (System.nanoTime() - lastFlush > FLUSH_EVERY.toNanos()) {
          flushAll();
        }
        startDueRuns();
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("trainer loop stopped", e);
    } finally {
      awaitRunsOn(consumer.assignment()); // before leaving the group, for the same reason
      try {
        flushAll();
      } catch (RuntimeException e) {
        log.warn("final flush failed; the unflushed examples are read again after a restart", e);
      }
      consumer.close(Duration.ofSeconds(10));
    }
  }

  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    store.advance(record.partition(), record.offset() + 1);
    TrainingExample example;
    if (record.value() == null) {
      deadLetters.publish(record, "training example has no value", null);
      return;
    }
    try {
      example = deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      deadLetters.publish(record, "cannot deserialize: " + e.getMessage(), e);
      return;
    }
    try {
      var existing = store.get(example.getRankerId());
      if (existing.isPresent() && existing.get().alreadyProcessed(record.partition(), record.offset())) {
        metrics.example(example.getRankerId(), "duplicate");
        return;
      }
      Optional<String> problem = existing.isPresent() ? existing.get().problem(example)
          : RankerTrainingSet.contentProblem(example);
      if (problem.isPresent()) {
        deadLetters.publish(record, problem.get(), null);
        existing.ifPresent(set -> set.skip(record.partition(), record.offset()));
        metrics.example(example.getRankerId(), "dead_lettered");
        return;
      }
      RankerTrainingSet set = store.getOrCreate(example);
      watch(set);
      set.add(example, record.partition(), record.offset());
      metrics.example(example.getRankerId(), "stored");
      store.flushIfFull(set);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store training example of " + example.getRankerId(), e);
    }
  }

  private void watch(RankerTrainingSet set) {
    if (watched.add(set.rankerId())) {
      metrics.watch(set);
    }
  }

  /** Makes every set durable, then commits the group's offsets (for lag monitoring; the store's offsets are the truth). */
  private void flushAll() {
    try {
      producer.flush(); // dead letters are on the broker before the offsets that skip their records are stored
      store.flushAll();
      lastFlush = System.nanoTime();
      Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
      for (TopicPartition tp : consumer.assignment()) {
        offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the training sets durable", e);
    } catch (org.apache.kafka.common.KafkaException e) {
      log.warn("committing group offsets failed (the store keeps its own): {}", e.getMessage());
    }
  }

  private void startDueRuns() {
    long now = System.currentTimeMillis();
    Set<TopicPartition> assigned = consumer.assignment();
    if (assigned.isEmpty()) {
      return;
    }
    int partitions = consumer.partitionsFor(topic).size();
    for (RankerTrainingSet set : store.all()) {
      String id = set.rankerId();
      TopicPartition tp = new TopicPartition(topic, partitionOf(id, partitions));
      if (!assigned.contains(tp) || running.contains(id) || now < retryAt.getOrDefault(id, 0L)) {
        continue;
      }
      long pending = set.requestsSinceRun();
      boolean due = pending >= settings.minNewRequests()
          || (pending > 0 && now - set.lastRunAtMillis() >= settings.interval().toMillis());
      OptionalLong lag = consumer.currentLag(tp);
      // While catching up on a backlog (a new owner reading history), wait: one run on all of it beats many on parts.
      if (!due || (lag.isPresent() && lag.getAsLong() >= settings.shardRequests())) {
        continue;
      }
      try {
        producer.flush();
        store.flush(set);
        set.runStarted(pending, now);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make " + id + "'s training set durable", e);
      }
      running.add(id);
      log.info("ranker {}: {} new requests, {} in the set: starting a run", id, pending, set.storedRequests());
      runs.submit(() -> {
        try {
          runner.run(set);
          retryAt.remove(id);
        } catch (Throwable e) {
          log.error("ranker {}: training run failed; retrying in {}", id, settings.retryBackoff(), e);
          set.runFailed(pending);
          retryAt.put(id, System.currentTimeMillis() + settings.retryBackoff().toMillis());
        } finally {
          running.remove(id);
        }
      });
    }
  }

  /**
   * Waits until no run of a ranker on {@code partitions} is running (at most {@link #HANDOVER_TIMEOUT}, within the
   * consumer's default rebalance timeout of 5 minutes; a longer run is logged and then overlaps its successor's start).
   */
  private void awaitRunsOn(Collection<TopicPartition> partitions) {
    Set<Integer> handedOn = new java.util.HashSet<>();
    partitions.stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> handedOn.add(tp.partition()));
    if (handedOn.isEmpty() || running.isEmpty()) {
      return;
    }
    int count = consumer.partitionsFor(topic).size();
    long deadline = System.nanoTime() + HANDOVER_TIMEOUT.toNanos();
    while (running.stream().anyMatch(id -> handedOn.contains(partitionOf(id, count)))) {
      if (System.nanoTime() > deadline) {
        log.warn("runs {} still going after {}; handing their partitions on anyway", running, HANDOVER_TIMEOUT);
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The partition the default partitioner gives a rankerId key (murmur2, as every producer here uses). */
  static int partitionOf(String rankerId, int partitions) {
    return Utils.toPositive(Utils.murmur2(rankerId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  boolean idle() {
    return running.isEmpty();
  }

  /** Waits for running training runs to finish (used on close). */
  static void drain(ExecutorService runs, Duration timeout) throws InterruptedException {
    runs.shutdown();
    runs.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
