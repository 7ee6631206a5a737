package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.JsonLine;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.FeatureDtype;
import dev.languageranker.events.Features;
import dev.languageranker.events.FinishReason;
import dev.languageranker.events.Task;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.embedded.EmbeddedKafka;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaClientProperties;
import dev.languageranker.platform.kafka.TopicBootstrapper;
import dev.languageranker.platform.kafka.TopicOffsets;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.platform.metrics.ServiceMetrics;
import dev.languageranker.platform.service.TorchThreads;
import dev.languageranker.ranker.bundle.ModelBundle;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranking.RankerAdmin;
import dev.languageranker.ranking.RankerReleases;
import dev.languageranker.ranking.RankerService;
import dev.languageranker.ranking.TaskAnswerKeys;
import ai.djl.ndarray.NDManager;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ranker service end to end on a fresh embedded broker: ranked groups per second over a pre-produced backlog,
 * next to a plain consumer reading the same records (the broker's limit here), then the latency from a group's
 * last candidate being acknowledged to its answer being readable (read_committed) at a steady offered rate.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Ranker service throughput and latency through Kafka, against a raw consumer baseline.")
public final class BenchPipelineCommand implements Callable<Integer> {
  private static final int LAYER = 19;
  private static final int DISTINCT_VECTORS = 256;
  private static final double WARM_JIT_SHARE = 0.10;
  private static final int RAW_READS = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--groups", defaultValue = "20000",
      description = "Groups in the throughput backlog. Default: ${DEFAULT-VALUE}.") int groups;

  @Option(names = "--k", defaultValue = "10", description = "Candidates per group. Default: ${DEFAULT-VALUE}.") int k;

  @Option(names = "--dim", defaultValue = "4096",
      description = "Feature dimension (bf16). Default: ${DEFAULT-VALUE}.") int dim;

  @Option(names = "--warmup-groups", defaultValue = "4000",
      description = "Groups per warm-up round, ranked (and read by the raw consumer) before timing starts. "
          + "Default: ${DEFAULT-VALUE}.") int warmupGroups;

  @Option(names = "--max-warmup-rounds", defaultValue = "8",
      description = "Warm-up rounds run until the JIT compilers take under 10% of a round's time, at most this many. "
          + "Default: ${DEFAULT-VALUE}.") int maxWarmupRounds;

  @Option(names = "--latency-groups", defaultValue = "1000",
      description = "Groups in the latency phase. Default: ${DEFAULT-VALUE}.") int latencyGroups;

  @Option(names = "--latency-rate", defaultValue = "200",
      description = "Offered groups/s in the latency phase. Default: ${DEFAULT-VALUE}.") int latencyRate;

  @Option(names = "--commit-interval", defaultValue = "100ms", converter = DurationConverter.class,
      description = "Kafka Streams commit interval. Default: ${DEFAULT-VALUE}.") Duration commitInterval;

  @Option(names = "--threads", defaultValue = "2",
      description = "Ranker stream threads (ranker.stream.threads). Default: ${DEFAULT-VALUE}.") int threads;

  @Override
  public Integer call() throws Exception {
    if (groups < 1 || k < 1 || dim < 1 || latencyGroups < 0 || latencyRate < 1 || warmupGroups < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--groups, --k, --dim and --latency-rate must be positive; --warmup-groups and --latency-groups not negative");
    }
    try (EmbeddedKafka broker = EmbeddedKafka.startTemporary()) {
      LrConfig config = LrConfig.builder().overrides(Map.of(
          Settings.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          Settings.STREAMS_STATE_DIR.key(), Files.createTempDirectory("lr-bench-pipeline").toString(),
          Settings.STREAMS_COMMIT_INTERVAL.key(), commitInterval.toMillis() + "ms",
          Settings.RANKER_STREAM_THREADS.key(), String.valueOf(threads),
          Settings.METRICS_PORT.key(), "-1")).build();
      TorchThreads.apply(config);
      KafkaClientProperties clients = new KafkaClientProperties(config);
      try (Admin admin = Admin.create(clients.admin())) {
        new TopicBootstrapper(admin, config, Duration.ofSeconds(30)).ensure(Topics.ALL);
      }
      EventSerdes serdes = new EventSerdes(config);
      new RankerAdmin(config, Duration.ofSeconds(30)).publish(release());
      Workload workload = new Workload(serdes, dim, k);

      Map<String, Object> out = new LinkedHashMap<>();
      try (ServiceMetrics metrics = new ServiceMetrics("ranker");
          KafkaConsumer<byte[], byte[]> answers = answerReader(clients);
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("bench-producer"))) {
        RankerService ranker = RankerService.start(config, metrics, new TaskAnswerKeys());
        try {
          long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
          while (ranker.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          // Warm-up rounds until the JIT has compiled the hot paths: on two cores the compiler otherwise takes a
          // large share of the CPU for tens of seconds, which is start-up cost, not throughput.
          int produced = 0;
          int answered = 0;
          int rounds = 0;
          double jitShare = 1;
          while (warmupGroups > 0 && rounds < maxWarmupRounds && jitShare > WARM_JIT_SHARE) {
            long jitBefore = compileMillis();
            long before = System.nanoTime();
            produced += produce(producer, workload, produced, warmupGroups);
            answered += awaitAnswers(answers, produced - answered);
            jitShare = (compileMillis() - jitBefore) / ((System.nanoTime() - before) / 1e6);
            rounds++;
            System.err.printf("warm-up round %d: %d groups, JIT compiling %.0f%% of the time%n", rounds, warmupGroups,
                100 * jitShare);
          }
          // The measured backlog is produced while the ranker is paused, then read by both contenders.
          ranker.pause();
          Map<TopicPartition, Long> backlogStart = candidateEnds(clients);
          produced += produce(producer, workload, produced, groups);
          RawRead raw = rawConsume(clients, backlogStart, candidateEnds(clients));
          long jitBefore = compileMillis();
          long started = System.nanoTime();
          ranker.resume();
          answered += awaitAnswers(answers, groups);
          double rankSeconds = (System.nanoTime() - started) / 1e9;
          double measuredJitShare = (compileMillis() - jitBefore) / (rankSeconds * 1e3);
          double[] latencies = latencyPhase(clients, serdes, workload, answers);
          double groupsPerS = groups / rankSeconds;
          double rawPerS = groups / raw.seconds();
          out.put("bench", "pipeline");
          out.put("groups", groups);
          out.put("k", k);
          out.put("dim", dim);
          out.put("groups_per_s", JsonLine.round(groupsPerS, 1));
          out.put("raw_consume_groups_per_s", JsonLine.round(rawPerS, 1));
          out.put("ratio", JsonLine.round(groupsPerS / rawPerS, 3));
          out.put("raw_consume_mb_per_s", JsonLine.round(raw.bytes() / 1e6 / raw.seconds(), 1));
          out.put("p50_ms", JsonLine.round(percentile(latencies, 0.50), 1));
          out.put("p99_ms", JsonLine.round(percentile(latencies, 0.99), 1));
          out.put("warmup_groups", warmupGroups * rounds);
          out.put("jit_share_measured", JsonLine.round(measuredJitShare, 3));
          out.put("latency_groups", latencies.length);
          out.put("latency_rate_groups_per_s", latencyRate);
          out.put("commit_interval_ms", commitInterval.toMillis());
          out.put("stream_threads", threads);
        } finally {
          ranker.close();
        }
      }
      spec.commandLine().getOut().println(JsonLine.of(out));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  /** Produces {@code count} groups after the first {@code from}; returns {@code count}. */
  private static int produce(KafkaProducer<byte[], byte[]> producer, Workload workload, int from, int count) {
    for (int g = from; g < from + count; g++) {
      workload.send(producer, "t-" + g, null);
    }
    producer.flush();
    return count;
  }

  /** Waits for {@code count} more answers (at most ten minutes); returns {@code count}. */
  private static int awaitAnswers(KafkaConsumer<byte[], byte[]> answers, int count) {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    int seen = 0;
    while (seen < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + seen + " of " + count + " groups were answered in ten minutes");
      }
      seen += answers.poll(Duration.ofMillis(100)).count();
    }
    if (seen > count) {
      throw new IllegalStateException(seen + " answers for " + count + " groups: a request was answered twice");
    }
    return count;
  }

  /** Time this JVM's JIT compilers have spent so far. */
  private static long compileMillis() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  /** What reading the backlog with a plain consumer took. */
  private record RawRead(double seconds, long bytes) {}

  /**
   * Reads the records between {@code from} and {@code to} (offsets by partition) with a plain read_committed
   * consumer, {@link #RAW_READS} times; the median read is the baseline (single reads of a few seconds vary by
   * a quarter here).
   */
  private static RawRead rawConsume(KafkaClientProperties clients, Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to) {
    List<RawRead> reads = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer("bench-raw", "bench-raw"))) {
      consumer.assign(from.keySet());
      for (int read = 0; read < RAW_READS; read++) {
        from.forEach(consumer::seek);
        Map<TopicPartition, Long> remaining = new HashMap<>(to);
        remaining.entrySet().removeIf(e -> e.getValue() <= from.get(e.getKey()));
        long started = System.nanoTime();
        long bytes = 0;
        while (!remaining.isEmpty()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            Long end = remaining.get(tp);
            if (end != null && r.offset() < end) {
              bytes += r.value().length;
              if (r.offset() == end - 1) {
                remaining.remove(tp);
              }
            }
          }
        }
        reads.add(new RawRead((System.nanoTime() - started) / 1e9, bytes));
      }
    }
    reads.sort(Comparator.comparingDouble(RawRead::seconds));
    return reads.get(reads.size() / 2);
  }

  /** The current end offset of every partition of lr.candidates. */
  private static Map<TopicPartition, Long> candidateEnds(KafkaClientProperties clients) throws Exception {
    try (Admin admin = Admin.create(clients.admin())) {
      return TopicOffsets.ends(admin, Topics.CANDIDATES.name());
    }
  }

  /** Offers groups at a steady rate and measures last-candidate acknowledgement to readable answer. */
  private double[] latencyPhase(KafkaClientProperties clients, EventSerdes serdes, Workload workload,
      KafkaConsumer<byte[], byte[]> answers) throws InterruptedException {
    if (latencyGroups == 0) {
      return new double[]{0};
    }
    Map<String, Long> lastAcked = new ConcurrentHashMap<>();
    List<Double> latencies = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer("bench-latency"))) {
      long intervalNanos = 1_000_000_000L / latencyRate;
      long next = System.nanoTime();
      int sent = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (latencies.size() < latencyGroups && System.nanoTime() < deadline) {
        while (sent < latencyGroups && System.nanoTime() >= next) {
          workload.send(producer, "l-" + sent, lastAcked);
          next += intervalNanos;
          sent++;
        }
        for (ConsumerRecord<byte[], byte[]> r : answers.poll(Duration.ofMillis(1))) {
          long now = System.nanoTime();
          String id = new String(r.key(), StandardCharsets.UTF_8);
          Long acked = lastAcked.get(id);
          if (acked != null) {
            latencies.add((now - acked) / 1e6);
          }
        }
      }
    }
    return latencies.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static KafkaConsumer<byte[], byte[]> answerReader(KafkaClientProperties clients) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer("bench-answers", "bench-answers"));
    List<TopicPartition> partitions = partitions(consumer, Topics.ANSWERS.name());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private dev.languageranker.events.RankerRelease release() {
    RankerConfig rankerConfig = RankerConfig.defaults(RankerArchitecture.LISTWISE, dim, LAYER);
    try (NDManager manager = NDManager.newBaseManager()) {
      RankerWeights weights = RankerWeights.initialize(manager, RankerNetwork.of(rankerConfig).parameters(), 7);
      ModelBundle bundle = ModelBundle.of(rankerConfig, weights, "bench", 1, Map.of(), Map.of(), Map.of(),
          Instant.now());
      return RankerReleases.of(bundle, "bench", null, Instant.now());
    }
  }

  private static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** Candidate groups with bf16 features drawn from a small pool of random vectors (content does not matter here). */
  private static final class Workload {
    private final EventSerdes serdes;
    private final int k;
    private final int dim;
    private final ByteBuffer[] vectors = new ByteBuffer[DISTINCT_VECTORS];

    Workload(EventSerdes serdes, int dim, int k) {
      this.serdes = serdes;
      this.k = k;
      this.dim = dim;
      SplittableRandom random = new SplittableRandom(42);
      for (int v = 0; v < DISTINCT_VECTORS; v++) {
        ByteBuffer b = ByteBuffer.allocate(dim * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dim; i++) {
          b.putShort((short) (Float.floatToRawIntBits((float) random.nextGaussian()) >>> 16));
        }
        vectors[v] = b.flip();
      }
    }

    void send(KafkaProducer<byte[], byte[]> producer, String rid, Map<String, Long> lastAcked) {
      byte[] key = rid.getBytes(StandardCharsets.UTF_8);
      ByteBuffer instruction = vectors[Math.floorMod(rid.hashCode(), DISTINCT_VECTORS)];
      for (int i = 0; i < k; i++) {
        Candidate c = Candidate.newBuilder()
            .setRequestId(rid).setTask(Task.MATH).setRankerId("bench").setRankerVersion(null).setIndex(i).setK(k)
            .setText("candidate " + i + " \\boxed{" + i + "}").setTokenCount(100).setLogProbSum(-50)
            .setLogProbMean(-0.5)
            .setFinishReason(FinishReason.EOS)
            .setFeatures(
                Features.newBuilder().setLayer(LAYER).setNumLayers(32).setDim(dim).setDtype(FeatureDtype.BFLOAT16)
                    .setInstruction(instruction.duplicate())
                    .setResponse(vectors[(rid.hashCode() + 31 * i) & (DISTINCT_VECTORS - 1)].duplicate())
                    .build())
            .setBaseModelId("bench").setPromptCreatedAt(Instant.now()).setGeneratedAt(Instant.now())
            .setMetadata(Map.of())
            .build();
        byte[] value = serdes.of(Candidate.class).serializer().serialize(Topics.CANDIDATES.name(), c);
        boolean last = i == k - 1;
        producer.send(new ProducerRecord<>(Topics.CANDIDATES.name(), key, value), (metadata, error) -> {
          if (last && lastAcked != null && error == null) {
            lastAcked.put(rid, System.nanoTime());
          }
        });
      }
    }
  }
}
