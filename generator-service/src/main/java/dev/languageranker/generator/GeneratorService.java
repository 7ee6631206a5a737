package dev.languageranker.generator;

import dev.languageranker.events.DeadLetter;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.UnsupportedModelException;
import dev.languageranker.platform.config.ConfigException;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.DeadLetterPublisher;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.HealthCheck;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.RunningService;
import dev.languageranker.platform.service.TorchThreads;
import dev.languageranker.platform.service.ServiceLauncher;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the generator: the base model, a read_committed consumer of {@code lr.prompts} in group
 * {@code lr-generator}, a transactional producer to {@code lr.candidates} and {@code lr.dead-letters}, the
 * generation worker, metrics and lifecycle. Instances scale out as one consumer group (one per GPU).
 */
public final class GeneratorService implements RunningService {
  public static final String NAME = "generator";
  /** The consumer group every generator instance joins. */
  public static final String GROUP_ID = "lr-generator";
  private static final Logger log = LoggerFactory.getLogger(GeneratorService.class);

  private final GenerationLoop loop;
  private final Thread thread;
  private final ExecutorService worker;
  private final LoadedModel model;
  private final boolean ownsModel;

  private GeneratorService(GenerationLoop loop, Thread thread, ExecutorService worker, LoadedModel model,
      boolean ownsModel) {
    this.loop = loop;
    this.thread = thread;
    this.worker = worker;
    this.model = model;
    this.ownsModel = ownsModel;
  }

  /** Loads the configured model and starts an instance against the configured cluster. */
  public static GeneratorService start(LrConfig config, ServiceMetrics metrics) {
    GeneratorSettings settings = GeneratorSettings.from(config);
    TorchThreads.apply(config); // before the model load below starts DJL's engine
    LoadedModel model;
    try {
      model = ModelDirectory.load(settings.modelDirectory(), settings.runtime());
    } catch (IOException e) {
      throw new ConfigException("cannot read model " + settings.modelDirectory() + ": " + e.getMessage(), e);
    } catch (UnsupportedModelException e) {
      throw new ConfigException("generator.model.dir: " + e.getMessage(), e);
    }
    log.info("generator serving {} ({} layers, hidden {}, features from layer {} as {})", settings.modelId(),
        model.config().numLayers(), model.config().hiddenSize(), model.featureLayer(), settings.featureDtype());
    return start(config, metrics, model, true, PublishObserver.NONE);
  }

  /**
   * Starts an instance serving an already loaded model ({@code ownsModel}: closed with the service); the observer
   * sees every candidate sent.
   */
  public static GeneratorService start(LrConfig config, ServiceMetrics metrics, LoadedModel model, boolean ownsModel,
      PublishObserver observer) {
    GeneratorSettings settings = GeneratorSettings.from(config);
    KafkaClientProperties clients = new KafkaClientProperties(config);
    EventSerdes serdes = new EventSerdes(config);
    Map<String, Object> consumerProps = clients.consumer(GROUP_ID, NAME + "-" + settings.instanceId());
    // A rebalance then revokes only the partitions that move, so generation under way elsewhere is kept.
    consumerProps.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        clients.transactionalProducer(NAME + "-" + settings.instanceId(), settings.transactionalId()));
    metrics.bind(consumer);
    metrics.bind(producer);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "generator-model");
      t.setDaemon(true);
      return t;
    });
    GenerationLoop[] self = new GenerationLoop[1];
    GeneratorMetrics meters = new GeneratorMetrics(metrics.registry(),
        () -> self[0] == null ? 0 : self[0].queueDepth());
    GenerationLoop loop = new GenerationLoop(consumer, producer, worker, new PromptPreparer(model, settings),
        new BatchPlanner(settings.batchTokens()), new PromptBatchGenerator(model, settings, Clock.systemUTC()),
        serdes.of(Topics.PROMPTS).deserializer(), serdes.of(Topics.CANDIDATES).serializer(),
        new DeadLetterPublisher(NAME, producer, serdes.of(DeadLetter.class).serializer(), metrics.registry()),
        meters, observer);
    self[0] = loop;
    Thread thread = new Thread(loop, "generator-loop");
    thread.start();
    return new GeneratorService(loop, thread, worker, model, ownsModel);
  }

  /** The partitions this instance owns now. */
  public Set<TopicPartition> assignment() {
    return loop.assignment();
  }

  /** Waits until this instance owns at least one partition; false on timeout or when it stopped. */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (loop.assignment().isEmpty()) {
      if (System.nanoTime() > deadline || !thread.isAlive()) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Whether the loop is still serving (false after a fatal error or close). */
  public boolean isServing() {
    return thread.isAlive() && loop.isRunning();
  }

  @Override
  public HealthCheck.Status health() {
    if (loop.failure() != null) {
      return HealthCheck.Status.down("stopped: " + loop.failure());
    }
    return thread.isAlive() ? HealthCheck.Status.up("assigned " + loop.assignment().size() + " partitions")
        : HealthCheck.Status.down("stopped");
  }

  @Override
  public void close() {
    loop.stop();
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
      worker.shutdown();
      // The model must outlive a generation still running natively on the worker.
      if (!worker.awaitTermination(5, TimeUnit.MINUTES)) {
        log.warn("generation still running after 5 minutes; the model is left open");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (ownsModel) {
      model.close();
    }
  }

  /** Runs a generator as its own process (the container image's entry point); settings from LR_ variables. */
  public static void main(String[] args) throws InterruptedException {
    ServiceLauncher.runUntilStopped(NAME, LrConfig.fromEnvironment(null, Map.of()), GeneratorService::start);
  }
}
