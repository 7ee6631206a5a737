package dev.languageranker.generator;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.platform.kafka.DeadLetterPublisher;
import dev.languageranker.platform.kafka.DeadLetters;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator's consume-generate-produce loop, on one thread that owns the consumer and the transactional
 * producer. Generation runs on a separate worker so that this thread keeps polling (the group never sees it as
 * stuck); each forward batch is published in one transaction together with its consumer offsets, so a prompt's K
 * candidates become visible to read_committed readers all at once, exactly once. While one batch generates, the
 * next is read and prepared; fetching pauses when enough prompts are queued.
 */
final class GenerationLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(GenerationLoop.class);
  /** Records queued beyond this pause fetching, so memory stays bounded and a rebalance drops little work. */
  static final int QUEUE_LIMIT = 256;

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final ExecutorService worker;
  private final PromptPreparer preparer;
  private final BatchPlanner planner;
  private final PromptBatchGenerator generator;
  private final Deserializer<PromptRequest> prompts;
  private final Serializer<Candidate> candidates;
  private final DeadLetterPublisher deadLetters;
  private final GeneratorMetrics metrics;
  private final PublishObserver observer;
  private final Deque<QueuedRecord> queue = new ArrayDeque<>();
  private volatile Set<TopicPartition> assignment = Set.of();
  private volatile boolean running = true;
  private volatile String failure;
  private InFlightBatch inFlight;
  private boolean inTransaction;

  GenerationLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, ExecutorService worker,
      PromptPreparer preparer, BatchPlanner planner, PromptBatchGenerator generator,
      Deserializer<PromptRequest> prompts, Serializer<Candidate> candidates, DeadLetterPublisher deadLetters,
      GeneratorMetrics metrics, PublishObserver observer) {
    this.consumer = consumer;
    this.producer = producer;
    this.worker = worker;
    this.preparer = preparer;
    this.planner = planner;
    this.generator = generator;
    this.prompts = prompts;
    this.candidates = candidates;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.observer = observer;
  }

  int queueDepth() {
    return queue.size();
  }

  Set<TopicPartition> assignment() {
    return assignment;
  }

  boolean isRunning() {
    return running && failure == null;
  }

  /** Why the loop stopped on an error, or null. */
  String failure() {
    return failure;
  }

  /** Asks the loop to stop after its current step (any uncommitted batch is left to the next owner). */
  void stop() {
    running = false;
    try {
      consumer.wakeup();
    } catch (RuntimeException e) {
      // Already closed: the loop has ended.
    }
  }

  @Override
  public void run() {
    try {
      producer.initTransactions();
      consumer.subscribe(List.of(Topics.PROMPTS.name()), new Rebalance());
      while (running) {
        step();
      }
    } catch (WakeupException e) {
      if (running) {
        fail(e);
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      if (inTransaction) {
        try {
          producer.abortTransaction();
        } catch (RuntimeException e) {
          log.warn("could not abort the open transaction; the next instance with this transactional.id or the "
              + "transaction timeout aborts it: {}", e.toString());
        }
      }
      closeQuietly(consumer);
      closeQuietly(producer);
    }
  }

  private static void closeQuietly(AutoCloseable client) {
    try {
      client.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", client.getClass().getSimpleName(), e.toString());
    }
  }

  private void fail(Throwable e) {
    failure = e.toString();
    log.error("generator loop stopped", e);
  }

  private void step() {
    if (inFlight != null && inFlight.result().isDone()) {
      InFlightBatch done = inFlight;
      inFlight = null;
      // Start the next forward batch before publishing this one: the model never waits for the broker.
      startNextBatch();
      publish(done);
    } else if (inFlight == null && !queue.isEmpty()) {
      startNextBatch();
    }
    if (queue.size() >= QUEUE_LIMIT) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
    try {
      // The worker wakes this poll up when a batch is done, so a long timeout adds no latency.
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        queue.add(prepare(record));
      }
    } catch (WakeupException e) {
      // A finished batch or stop(); the loop condition tells which.
    }
  }

  private QueuedRecord prepare(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return reject(record, "record has no value", null);
    }
    PromptRequest request;
    try {
      request = prompts.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      return reject(record, "cannot deserialize: " + e.getMessage(), e);
    }
    try {
      return QueuedRecord.prepared(record, preparer.prepare(request));
    } catch (UnservablePromptException e) {
      return reject(record, e.getMessage(), null);
    } catch (RuntimeException e) {
      return reject(record, "cannot prepare the prompt: " + e, e);
    }
  }

  private static QueuedRecord reject(ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
    DeadLetter letter = DeadLetters.of(GeneratorService.NAME, record.topic(), record.partition(), record.offset(),
        record.key(), record.value(), record.headers(), reason, error);
    return QueuedRecord.rejected(record, letter);
  }

  /** Takes the next batch from the queue head: rejections ride along, prompts as far as the planner allows. */
  private void startNextBatch() {
    if (queue.isEmpty()) {
      return;
    }
    List<QueuedRecord> items = new ArrayList<>();
    List<PreparedPrompt> batch = new ArrayList<>();
    while (!queue.isEmpty()) {
      QueuedRecord head = queue.peek();
      if (!head.isRejected()) {
        if (!planner.fits(batch, head.prompt())) {
          break;
        }
        batch.add(head.prompt());
      }
      items.add(queue.poll());
    }
    Future<List<List<Candidate>>> result;
    if (batch.isEmpty()) {
      result = CompletableFuture.completedFuture(List.of());
    } else {
      Instant now = Instant.now();
      for (QueuedRecord item : items) {
        if (!item.isRejected()) {
          metrics.queued(Duration.between(Instant.ofEpochMilli(item.record().timestamp()), now));
        }
      }
      metrics.batchStarted(batch.size());
      result = worker.submit(() -> {
        long start = System.nanoTime();
        try {
          return generator.generate(batch);
        } finally {
          metrics.generated(Duration.ofNanos(System.nanoTime() - start));
          consumer.wakeup();
        }
      });
    }
    inFlight = new InFlightBatch(items, result);
  }

  /** Publishes a finished batch: dead letters and candidates with the consumer offsets, in one transaction. */
  private void publish(InFlightBatch batch) {
    List<List<Candidate>> generated;
    String generationError = null;
    try {
      generated = batch.result().get();
    } catch (ExecutionException e) {
      // The prompts passed every check, so this is the model's failure: dead-letter them rather than loop on them.
      log.error("generation of a batch of {} prompts failed", batch.prompts().size(), e.getCause());
      generated = null;
      generationError = "generation failed: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = batch.offsets();
    if (offsets.isEmpty()) {
      metrics.discarded(batch.prompts().size());
      return;
    }
    int promptCount = 0;
    int candidateCount = 0;
    long tokenCount = 0;
    int discarded = 0;
    try {
      producer.beginTransaction();
      inTransaction = true;
      int sent = 0;
      int promptIndex = 0;
      for (QueuedRecord item : batch.items()) {
        boolean valid = batch.isValid(item);
        if (item.isRejected()) {
          if (valid) {
            deadLetters.publish(item.rejection());
          }
          continue;
        }
        int index = promptIndex++;
        if (!valid) {
          discarded++;
          continue;
        }
        if (generated == null) {
          deadLetters.publish(DeadLetters.of(GeneratorService.NAME, item.record().topic(), item.record().partition(),
              item.record().offset(), item.record().key(), item.record().value(), item.record().headers(),
              generationError, null));
          continue;
        }
        byte[] key = item.prompt().request().getRequestId().getBytes(StandardCharsets.UTF_8);
        for (Candidate candidate : generated.get(index)) {
          producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), key,
              candidates.serialize(Topics.CANDIDATES.name(), candidate)));
          observer.candidateSent(producer, ++sent);
          candidateCount++;
          tokenCount += candidate.getTokenCount();
        }
        promptCount++;
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      inTransaction = false;
      metrics.committed(promptCount, candidateCount, tokenCount);
      metrics.discarded(discarded);
    } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
        | UnsupportedVersionException e) {
      // Another instance took over this transactional.id, or the cluster refuses us: nothing to retry here.
      throw e;
    } catch (KafkaException e) {
      log.warn("transaction of {} prompts aborted; their records will be read again: {}", batch.prompts().size(),
          e.toString());
      abort();
      metrics.discarded(batch.prompts().size());
      rewind(batch);
    }
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } finally {
      inTransaction = false;
    }
  }

  /**
   * After an abort: seek back to the batch's first records so they are read again, and drop what was read after
   * them (queued or generating), since it will be read again too.
   */
  private void rewind(InFlightBatch batch) {
    Map<TopicPartition, Long> first = batch.firstOffsets();
    first.keySet().removeIf(tp -> !assignment.contains(tp));
    first.forEach(consumer::seek);
    forget(first.keySet());
  }

  private void forget(Collection<TopicPartition> partitions) {
    queue.removeIf(item -> partitions.contains(item.partition()));
    if (inFlight != null) {
      inFlight.invalidate(partitions);
    }
  }

  /** A revoked partition's queued and generating prompts are left to its new owner, which reads them again. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions);
      assignment = Set.copyOf(consumer.assignment().stream().filter(tp -> !partitions.contains(tp)).toList());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assignment = Set.copyOf(consumer.assignment());
      log.info("generator assigned {}", partitions);
    }
  }
}
