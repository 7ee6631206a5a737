package dev.languageranker.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows all of a compacted topic on its own thread (every instance reads everything: assigned partitions, no consumer
 * group), from the beginning, handing each record (a null value is a tombstone) to one callback, in partition order.
 * Tells when it has caught up with what the topic held when it started: ranker services and trainers follow
 * {@code lr.ranker-models} with it.
 */
public final class CompactedTopicFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CompactedTopicFollower.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Consumer<ConsumerRecord<byte[], byte[]>> apply;
  private final Runnable onCaughtUp;
  private final String whenStopped;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param apply called on the follower's thread for every record; it must not throw for a bad record (log and skip)
   * @param onCaughtUp called once, on the follower's thread, when every record that existed at start was applied
   * @param whenStopped what it means for the caller when the follower stops on an error, for the log
   */
  public CompactedTopicFollower(KafkaClientProperties clients, String topic, String clientId,
      Consumer<ConsumerRecord<byte[], byte[]>> apply, Runnable onCaughtUp, String whenStopped) {
    Map<String, Object> props = clients.consumer("unused", clientId);
    props.remove("group.id"); // assigned partitions, no group: every instance reads everything
    this.consumer = new KafkaConsumer<>(props);
    this.topic = topic;
    this.apply = apply;
    this.onCaughtUp = onCaughtUp;
    this.whenStopped = whenStopped;
    this.thread = new Thread(this::run, clientId);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Waits until every record that existed at start has been applied; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    try {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          apply.accept(record);
        }
        if (caughtUp.getCount() > 0
            && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          onCaughtUp.run();
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("following {} stopped; {}", topic, whenStopped, e);
    } finally {
      consumer.close();
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
