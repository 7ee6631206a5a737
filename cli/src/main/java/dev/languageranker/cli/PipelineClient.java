package dev.languageranker.cli;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.Reference;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.KafkaOperationException;
import dev.languageranker.platform.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the client commands do with the pipeline: publish prompts, references and external outcomes, and read
 * answers (read_committed, without a consumer group, so a client never shows up as a lagging group). Checks first
 * that the broker answers within the timeout, so an unreachable broker is one clear error.
 */
public final class PipelineClient implements AutoCloseable {
  private final LrConfig config;
  private final EventSerdes serdes;
  private final Duration timeout;
  private KafkaProducer<byte[], byte[]> producer;
  private volatile Exception sendFailure;

  public PipelineClient(LrConfig config, Duration timeout) {
    this.config = config;
    this.serdes = new EventSerdes(config);
    this.timeout = timeout;
    checkReachable();
  }

  private void checkReachable() {
    String servers = config.get(Settings.BOOTSTRAP_SERVERS);
    try (Admin admin = Admin.create(new KafkaClientProperties(config).admin())) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new KafkaOperationException("cannot reach Kafka at " + servers + " within " + timeout.toSeconds()
          + " s (start one with 'bin/language-ranker local' or set --bootstrap-servers)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaOperationException("interrupted", e);
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(new KafkaClientProperties(config).producer("lr-client"));
    }
    return producer;
  }

  /** Sends the reference first (so the labeler has it when candidates come), then the prompt. */
  public void send(PromptInput input) {
    if (input.reference() != null) {
      send(Topics.REFERENCES.name(), input.prompt().getRequestId(),
          serdes.of(Reference.class).serializer().serialize(Topics.REFERENCES.name(), input.reference()));
    }
    send(Topics.PROMPTS.name(), input.prompt().getRequestId(),
        serdes.of(PromptRequest.class).serializer().serialize(Topics.PROMPTS.name(), input.prompt()));
  }

  public void send(VerificationOutcome outcome) {
    send(Topics.VERIFICATIONS.name(), outcome.getRequestId(),
        serdes.of(VerificationOutcome.class).serializer().serialize(Topics.VERIFICATIONS.name(), outcome));
  }

  private void send(String topic, String key, byte[] value) {
    producer().send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (metadata, e) -> {
      if (e != null && sendFailure == null) {
        sendFailure = e;
      }
    });
  }

  /** Waits until everything sent is acknowledged; a record that could not be sent is an error. */
  public void flush() {
    if (producer != null) {
      producer.flush();
    }
    if (sendFailure != null) {
      throw new KafkaOperationException("could not send to Kafka: " + sendFailure.getMessage(), sendFailure);
    }
  }

  /** A reader of {@code lr.answers} positioned at the end (or the beginning) of every partition. */
  public AnswerReader answers(boolean fromBeginning) {
    Map<String, Object> props = new KafkaClientProperties(config).consumer("unused", "lr-client-answers");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = consumer.partitionsFor(Topics.ANSWERS.name(), timeout).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    partitions.forEach(consumer::position); // resolve now, before anything is sent
    return new AnswerReader(consumer, serdes.of(RankedAnswer.class).deserializer(), partitions);
  }

  /** Reads answers in order of arrival; the caller polls. */
  public static final class AnswerReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<RankedAnswer> deserializer;
    private final List<TopicPartition> partitions;

    AnswerReader(KafkaConsumer<byte[], byte[]> consumer, Deserializer<RankedAnswer> deserializer,
        List<TopicPartition> partitions) {
      this.consumer = consumer;
      this.deserializer = deserializer;
      this.partitions = partitions;
    }

    public List<RankedAnswer> poll(Duration wait) {
      java.util.ArrayList<RankedAnswer> answers = new java.util.ArrayList<>();
      consumer.poll(wait).forEach(r -> {
        try {
          answers.add(deserializer.deserialize(r.topic(), r.value()));
        } catch (RuntimeException e) {
          // An answer this client cannot decode is not one it waits for.
        }
      });
      return answers;
    }

    /** Whether every partition has been read up to where it ended when this was first asked. */
    public boolean atEnd(Map<TopicPartition, Long> ends) {
      return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
    }

    public Map<TopicPartition, Long> endOffsets() {
      return consumer.endOffsets(partitions);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
