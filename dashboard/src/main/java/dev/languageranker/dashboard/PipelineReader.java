package dev.languageranker.dashboard;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads answers, training examples, training runs, ranker releases and dead letters (no consumer group: the
 * dashboard commits nothing and never shows up as a lagging group) into {@link PipelineRecords}. Request-scoped
 * topics are read from {@code history} ago; releases and runs from the beginning. A record that does not decode is
 * counted and skipped: the dashboard only observes.
 */
public final class PipelineReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PipelineReader.class);

  private final Consumer<byte[], byte[]> consumer;
  private final PipelineRecords records;
  private final Thread thread;
  private final Deserializer<RankedAnswer> answers;
  private final Deserializer<TrainingExample> examples;
  private final Deserializer<TrainingRun> runs;
  private final Deserializer<RankerRelease> releases;
  private final Deserializer<DeadLetter> deadLetters;
  private volatile boolean running = true;
  private volatile long undecodable;

  public PipelineReader(Consumer<byte[], byte[]> consumer, EventSerdes serdes, PipelineRecords records,
      Duration history) {
    this.consumer = consumer;
    this.records = records;
    this.answers = serdes.of(RankedAnswer.class).deserializer();
    this.examples = serdes.of(TrainingExample.class).deserializer();
    this.runs = serdes.of(TrainingRun.class).deserializer();
    this.releases = serdes.of(RankerRelease.class).deserializer();
    this.deadLetters = serdes.of(DeadLetter.class).deserializer();
    this.thread = new Thread(() -> run(history), "dashboard-reader");
    thread.setDaemon(true);
    thread.start();
  }

  public long undecodable() {
    return undecodable;
  }

  private void run(Duration history) {
    try {
      // The cluster may not be there yet (a dashboard started before its broker): keep trying.
      while (running) {
        try {
          assign(history);
          break;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          log.warn("dashboard reader cannot list the pipeline's topics yet: {}", e.getMessage());
        }
      }
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          handle(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        log.error("dashboard reader stopped: {}", e.toString(), e);
      }
    }
  }

  private void assign(Duration history) {
    List<TopicPartition> partitions = new ArrayList<>();
    Map<TopicPartition, Long> since = new HashMap<>();
    long from = Instant.now().minus(history).toEpochMilli();
    Set<String> fromStart = Set.of(Topics.TRAINING_RUNS.name(), Topics.RANKER_MODELS.name());
    for (String topic : List.of(Topics.ANSWERS.name(), Topics.TRAINING_EXAMPLES.name(), Topics.TRAINING_RUNS.name(),
        Topics.RANKER_MODELS.name(), Topics.DEAD_LETTERS.name())) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null) {
        continue;
      }
      infos.forEach(p -> {
        TopicPartition tp = new TopicPartition(topic, p.partition());
        partitions.add(tp);
        if (!fromStart.contains(topic)) {
          since.put(tp, from);
        }
      });
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, Duration.ofSeconds(30));
    offsets.forEach((tp, ot) -> {
      if (ot == null) {
        consumer.seekToEnd(List.of(tp));
      } else {
        consumer.seek(tp, ot.offset());
      }
    });
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    try {
      String topic = record.topic();
      if (topic.equals(Topics.ANSWERS.name())) {
        records.answer(answers.deserialize(topic, record.value()));
      } else if (topic.equals(Topics.TRAINING_EXAMPLES.name())) {
        records.example(examples.deserialize(topic, record.value()));
      } else if (topic.equals(Topics.TRAINING_RUNS.name())) {
        records.run(runs.deserialize(topic, record.value()));
      } else if (topic.equals(Topics.RANKER_MODELS.name())) {
        String rankerId = record.key() == null ? "" : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        records.release(rankerId, record.value() == null ? null : releases.deserialize(topic, record.value()),
            record.timestamp());
      } else if (topic.equals(Topics.DEAD_LETTERS.name())) {
        records.deadLetter(deadLetters.deserialize(topic, record.value()));
      }
    } catch (RuntimeException e) {
      undecodable++;
      log.debug("dashboard skipped an undecodable record of {}: {}", record.topic(), e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
  }
}
