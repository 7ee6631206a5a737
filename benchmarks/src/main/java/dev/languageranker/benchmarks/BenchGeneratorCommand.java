package dev.languageranker.benchmarks;

import dev.languageranker.demo.FunctionCallProblemGenerator;
import dev.languageranker.cli.common.JsonLine;
import dev.languageranker.cli.common.ModelOptions;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.events.Task;
import dev.languageranker.generator.BatchPlanner;
import dev.languageranker.generator.GeneratorService;
import dev.languageranker.generator.GeneratorSettings;
import dev.languageranker.generator.PreparedPrompt;
import dev.languageranker.generator.PromptBatchGenerator;
import dev.languageranker.generator.PromptPreparer;
import dev.languageranker.generator.PublishObserver;
import dev.languageranker.demo.DemoProblem;
import dev.languageranker.demo.DemoProblemSource;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.TopicBootstrapper;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench generator}: end-to-end prompts/s and tokens/s through Kafka (prompts produced, generator service,
 * candidates read committed) next to the same prompts generated directly, in the same process and run.
 */
@Command(name = "generator", mixinStandardHelpOptions = true,
    description = {"Prompts/s and tokens/s of the generator service through an embedded Kafka broker, next to the same",
        "generation without Kafka in the same run; kafka_overhead = 1 - kafka/direct prompts/s."})
public final class BenchGeneratorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--prompts", defaultValue = "50", description = "Prompts, half math, half function calling "
      + "(default: ${DEFAULT-VALUE}).") int prompts;

  @Option(names = "--k", defaultValue = "10", description = "Candidates per prompt (default: ${DEFAULT-VALUE}).") int k;

  @Option(names = "--max-new-tokens", defaultValue = "128",
      description = "Limit (default: ${DEFAULT-VALUE}).") int maxNewTokens;

  @Option(names = "--batch-tokens", defaultValue = "32768",
      description = "Token budget of a forward batch, as generator.batch.tokens (default: ${DEFAULT-VALUE}).") int batchTokens;

  @Option(names = "--feature-dtype", defaultValue = "bfloat16",
      description = "bfloat16 or float32.") String featureDtype;

  @Option(names = "--rounds", defaultValue = "1", description = "Rounds of both phases, in alternating order "
      + "(direct first in odd rounds), summed: evens out drift on a shared machine (default: ${DEFAULT-VALUE}).") int rounds;

  @Override
  public Integer call() throws Exception {
    if (prompts < 1 || k < 1 || maxNewTokens < 1 || batchTokens < 1 || rounds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--prompts, --k, --max-new-tokens, "
          + "--batch-tokens and --rounds must be positive");
    }
    List<DemoProblem> problems = problems();
    try (LoadedModel model = modelOptions.load(spec.commandLine());
        EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
      LrConfig config = LrConfig.builder().overrides(Map.of(
          "bootstrap.servers", broker.bootstrapServers(), "metrics.port", "-1",
          "generator.model.dir", modelOptions.model().toString(), "generator.instance.id", "bench",
          "generator.k.max", Integer.toString(Math.max(k, 100)), "generator.feature.dtype", featureDtype,
          "generator.batch.tokens", Integer.toString(batchTokens))).build();
      GeneratorSettings settings;
      try {
        settings = GeneratorSettings.from(config);
      } catch (RuntimeException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      String run = UUID.randomUUID().toString().substring(0, 8) + "-";
      // Warm-up (kernels, allocations), not measured.
      direct(model, settings, requests(problems.subList(0, Math.min(4, problems.size())), "warm-" + run));
      Phase direct = new Phase(0, 0);
      Phase kafka = new Phase(0, 0);
      for (int round = 0; round < rounds; round++) {
        Phase d;
        Phase q;
        if (round % 2 == 0) {
          d = direct(model, settings, requests(problems, "direct-" + round + "-" + run));
          q = throughKafka(config, model, requests(problems, "kafka-" + round + "-" + run));
        } else {
          q = throughKafka(config, model, requests(problems, "kafka-" + round + "-" + run));
          d = direct(model, settings, requests(problems, "direct-" + round + "-" + run));
        }
        direct = direct.plus(d);
        kafka = kafka.plus(q);
      }
      int total = prompts * rounds;

      Map<String, Object> out = new LinkedHashMap<>();
      out.put("bench", "generator");
      out.put("prompts_per_s_kafka", JsonLine.round(total / kafka.seconds(), 3));
      out.put("prompts_per_s_direct", JsonLine.round(total / direct.seconds(), 3));
      out.put("tokens_per_s_kafka", JsonLine.round(kafka.tokens() / kafka.seconds(), 1));
      out.put("tokens_per_s_direct", JsonLine.round(direct.tokens() / direct.seconds(), 1));
      out.put("kafka_overhead", JsonLine.round(1 - direct.seconds() / kafka.seconds(), 4));
      // Sampling differs between the runs (batches form differently), so the token-rate ratio is shown too.
      out.put("kafka_overhead_tokens", JsonLine.round(
          1 - (kafka.tokens() / kafka.seconds()) / (direct.tokens() / direct.seconds()), 4));
      out.put("prompts", prompts);
      out.put("rounds", rounds);
      out.put("k", k);
      out.put("max_new_tokens", maxNewTokens);
      out.put("batch_tokens", batchTokens);
      out.put("feature_dtype", featureDtype);
      out.put("seconds_kafka", JsonLine.round(kafka.seconds(), 3));
      out.put("seconds_direct", JsonLine.round(direct.seconds(), 3));
      out.put("tokens_kafka", kafka.tokens());
      out.put("tokens_direct", direct.tokens());
      out.put("model", modelOptions.model().toString());
      out.put("hidden", model.config().hiddenSize());
      out.put("feature_layer", model.featureLayer());
      out.put("load_average", JsonLine.round(MachineLoad.loadAverage(), 2));
      out.put("cores", MachineLoad.cores());
      spec.commandLine().getOut().println(JsonLine.of(out));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /** Held-out demo problems, math and function calling alternating. */
  private List<DemoProblem> problems() {
    DemoProblemSource source = new DemoProblemSource();
    List<DemoProblem> math = source.heldOut(DemoTask.MATH, (prompts + 1) / 2, 31);
    List<DemoProblem> function = source.heldOut(DemoTask.FUNCTION, prompts / 2, 32);
    List<DemoProblem> mixed = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      mixed.add(i % 2 == 0 ? math.get(i / 2) : function.get(i / 2));
    }
    return mixed;
  }

  private List<PromptRequest> requests(List<DemoProblem> problems, String prefix) {
    List<PromptRequest> requests = new ArrayList<>();
    for (int i = 0; i < problems.size(); i++) {
      DemoProblem problem = problems.get(i);
      boolean math = problem.task() == DemoTask.MATH;
      requests.add(PromptRequest.newBuilder().setRequestId(prefix + i).setTask(math ? Task.MATH : Task.FUNCTION_CALL)
          .setText(problem.user()).setFunctions(math ? null : FunctionCallProblemGenerator.FUNCTIONS).setK(k)
          .setSampling(SamplingParams.newBuilder().setMaxNewTokens(maxNewTokens).build())
          .setCreatedAt(Instant.now()).build());
    }
    return requests;
  }

  /** The service's work without Kafka: the same preparation, batch planning and generation, in order. */
  private static Phase direct(LoadedModel model, GeneratorSettings settings, List<PromptRequest> requests) {
    PromptPreparer preparer = new PromptPreparer(model, settings);
    BatchPlanner planner = new BatchPlanner(settings.batchTokens());
    PromptBatchGenerator generator = new PromptBatchGenerator(model, settings, Clock.systemUTC());
    long start = System.nanoTime();
    long tokens = 0;
    List<PreparedPrompt> batch = new ArrayList<>();
    for (PromptRequest request : requests) {
      PreparedPrompt prompt = preparer.prepare(request);
      if (!planner.fits(batch, prompt)) {
        tokens += tokens(generator.generate(batch));
        batch.clear();
      }
      batch.add(prompt);
    }
    tokens += tokens(generator.generate(batch));
    return new Phase((System.nanoTime() - start) / 1e9, tokens);
  }

  private static long tokens(List<List<Candidate>> groups) {
    return groups.stream().flatMap(List::stream).mapToLong(Candidate::getTokenCount).sum();
  }

  /** From the first prompt sent to the last candidate read by a read_committed consumer. */
  private Phase throughKafka(LrConfig config, LoadedModel model, List<PromptRequest> requests) throws Exception {
    KafkaClientProperties clients = new KafkaClientProperties(config);
    try (Admin admin = Admin.create(clients.admin())) {
      new TopicBootstrapper(admin, config, Duration.ofSeconds(30)).ensure(Topics.ALL);
    }
    EventSerdes serdes = new EventSerdes(config);
    int expected = requests.size() * k;
    try (ServiceMetrics metrics = new ServiceMetrics(GeneratorService.NAME);
        GeneratorService service = GeneratorService.start(config, metrics, model, false, PublishObserver.NONE);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer("bench-" + UUID.randomUUID(),
            "bench-reader"));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("bench-prompts"))) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.CANDIDATES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      if (!service.awaitAssignment(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the generator got no partitions within 60 s");
      }
      long start = System.nanoTime();
      for (PromptRequest request : requests) {
        producer.send(new ProducerRecord<>(Topics.PROMPTS.name(),
            request.getRequestId().getBytes(StandardCharsets.UTF_8),
            serdes.of(Topics.PROMPTS).serializer().serialize(Topics.PROMPTS.name(), request)));
      }
      producer.flush();
      int received = 0;
      long tokens = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (received < expected) {
        if (System.nanoTime() > deadline || !service.isServing()) {
          throw new IllegalStateException("only " + received + " of " + expected + " candidates arrived");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          Candidate c = serdes.of(Topics.CANDIDATES).deserializer().deserialize(record.topic(), record.value());
          received++;
          tokens += c.getTokenCount();
        }
      }
      return new Phase((System.nanoTime() - start) / 1e9, tokens);
    }
  }

  private record Phase(double seconds, long tokens) {
    Phase plus(Phase other) {
      return new Phase(seconds + other.seconds, tokens + other.tokens);
    }
  }
}
