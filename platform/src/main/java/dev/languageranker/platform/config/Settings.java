package dev.languageranker.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalogue of every setting with its default: the one place defaults live. {@code docs/configuration.md} is
 * generated from it ({@code bin/language-ranker config --markdown}) and a test keeps the two in step.
 */
public final class Settings {
  // Initialized before the settings below, which parse their defaults as they are defined.
  private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();
  private static final Pattern DURATION_PATTERN = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  static final Setting.SettingType<String> STRING = new Setting.SettingType<>("string", "text", s -> s);
  static final Setting.SettingType<Integer> INT = new Setting.SettingType<>("int", "6",
      s -> parseNumber(s, Integer::parseInt, "an integer"));
  static final Setting.SettingType<Double> DOUBLE = new Setting.SettingType<>("double", "0.6",
      s -> parseNumber(s, Double::parseDouble, "a number"));
  static final Setting.SettingType<Boolean> BOOLEAN = new Setting.SettingType<>("boolean", "true",
      Settings::parseBoolean);
  static final Setting.SettingType<Duration> DURATION = new Setting.SettingType<>("duration", "30s",
      Settings::parseDuration);
  static final Setting.SettingType<Path> PATH = new Setting.SettingType<>("path", "/var/lib/lr", Settings::parsePath);

  // Kafka and Schema Registry
  public static final Setting<String> BOOTSTRAP_SERVERS = define("bootstrap.servers", STRING, "localhost:9092",
      "Kafka bootstrap servers (host:port,...). Any other Kafka client property passes through as kafka.<property>, "
          + "e.g. kafka.security.protocol=SASL_SSL.");
  public static final Setting<String> SCHEMA_REGISTRY_URL = define("schema.registry.url", STRING, "",
      "Confluent-compatible Schema Registry base URL(s), comma-separated. Empty: Avro single-object encoding, no registry.");
  public static final Setting<String> SCHEMA_REGISTRY_BASIC_AUTH = define("schema.registry.basic.auth.user.info",
      STRING, "",
      "user:password for the Schema Registry's HTTP basic authentication; empty for none.");
  public static final Setting<Duration> SCHEMA_REGISTRY_TIMEOUT = define("schema.registry.timeout", DURATION, "10s",
      "Timeout of one Schema Registry request.");
  public static final Setting<Boolean> SCHEMA_REGISTRY_AUTO_REGISTER = define("schema.registry.auto.register", BOOLEAN,
      "true",
      "Serializers register their schema under <topic>-value; false: the schema must already be registered.");

  // Topics
  public static final Setting<Integer> TOPICS_PARTITIONS = define("topics.partitions", INT, "6",
      "Partitions of each event topic created by the topic bootstrapper (lr.ranker-models always has 1).");
  public static final Setting<Integer> TOPICS_REPLICATION_FACTOR = define("topics.replication.factor", INT, "1",
      "Replication factor of created topics; use 3 on a production cluster.");
  public static final Setting<Duration> TOPICS_RETENTION = define("topics.retention", DURATION, "7d",
      "Retention of the request-scoped topics (prompts, references, candidates, answers, verifications).");

  // Embedded broker (laptop mode and tests)
  public static final Setting<Integer> EMBEDDED_PORT = define("embedded.port", INT, "9092",
      "Client port of the embedded KRaft broker; 0 picks a free port.");
  public static final Setting<Path> EMBEDDED_DATA_DIR = define("embedded.data.dir", PATH,
      "${user.home}/.language-ranker/kafka",
      "Data directory of the embedded broker; kept across restarts.");

  // Metrics and health
  public static final Setting<Integer> METRICS_PORT = define("metrics.port", INT, "9404",
      "Port of the HTTP endpoint serving /metrics (Prometheus) and /health; 0 picks a free port, -1 disables it.");
  public static final Setting<String> METRICS_HOST = define("metrics.host", STRING, "0.0.0.0",
      "Address the metrics endpoint binds to.");

  // Model runtime
  public static final Setting<Integer> TORCH_THREADS = define("torch.threads", INT, "1",
      "PyTorch intra-op threads per process (ranking, generation); 0 keeps PyTorch's default of one per core. "
          + "One is fastest when Kafka clients and other processes share the cores.");

  // Kafka Streams
  public static final Setting<Path> STREAMS_STATE_DIR = define("streams.state.dir", PATH,
      "${java.io.tmpdir}/language-ranker-streams",
      "Kafka Streams state directory (RocksDB stores).");
  public static final Setting<Duration> STREAMS_COMMIT_INTERVAL = define("streams.commit.interval", DURATION, "100ms",
      "Kafka Streams commit interval; with exactly-once it bounds answer latency.");

  public static final Setting<Integer> STREAMS_CACHE_BYTES = define("streams.cache.max.bytes", INT, "67108864",
      "Kafka Streams record cache per instance; a group whose candidates all arrive within one commit interval "
          + "never reaches the state store's changelog.");

  // Ranker service
  public static final Setting<Duration> RANKER_GROUP_TIMEOUT = define("ranker.group.timeout", DURATION, "30s",
      "A group still missing candidates this long after its first one is ranked with those that arrived (incomplete).");
  public static final Setting<Duration> RANKER_DONE_RETENTION = define("ranker.done.retention", DURATION, "10m",
      "How long an answered request is remembered, so that late or duplicate candidates are counted and dropped.");
  public static final Setting<Integer> RANKER_BATCH_SIZE = define("ranker.batch.size", INT, "256",
      "Complete groups scored together in one forward pass.");
  public static final Setting<Duration> RANKER_BATCH_WAIT = define("ranker.batch.wait", DURATION, "20ms",
      "Longest a complete group waits for others to fill its batch when the scorer is idle; bounds the latency "
          + "batching adds (while a batch is scored, the next one gathers anyway).");
  public static final Setting<Integer> RANKER_SCORER_THREADS = define("ranker.scorer.threads", INT, "1",
      "Threads that score batches beside the stream threads; each scores one batch at a time with torch.threads "
          + "PyTorch threads.");
  public static final Setting<Duration> RANKER_MODELS_CATCHUP = define("ranker.models.catchup.timeout", DURATION, "30s",
      "At startup, how long to wait for lr.ranker-models to be read to its end before ranking starts.");
  public static final Setting<Integer> RANKER_STREAM_THREADS = define("ranker.stream.threads", INT, "2",
      "Kafka Streams threads of one ranker instance; each takes a share of the partitions of lr.candidates, and "
          + "scoring runs on the ranker.scorer.threads beside them.");

  // Generator
  public static final Setting<Path> GENERATOR_MODEL_DIR = define("generator.model.dir", PATH, "models/demo",
      "Hugging Face style model directory the generator serves (config.json, safetensors, tokenizer.json).");
  public static final Setting<String> GENERATOR_MODEL_ID = define("generator.model.id", STRING, "",
      "Base model id written on every candidate (rankers are tied to it); empty: the model directory's name.");
  public static final Setting<String> GENERATOR_DEVICE = define("generator.device", STRING, "cpu",
      "Device of the base model: cpu, gpu or gpu:N. Scale out with one instance per GPU in the same consumer group.");
  public static final Setting<String> GENERATOR_COMPUTE_DTYPE = define("generator.compute.dtype", STRING, "float32",
      "Compute dtype of the base model: float32 or float16 (bf16 checkpoints load exactly into float32).");
  public static final Setting<String> GENERATOR_FEATURE_DTYPE = define("generator.feature.dtype", STRING, "bfloat16",
      "Element type of the features on lr.candidates: bfloat16 (half the bytes) or float32.");
  public static final Setting<Double> GENERATOR_LAYER_FRACTION = define("generator.layer.fraction", DOUBLE, "0.6",
      "Feature layer as a fraction of the decoder depth: hidden_states[round(fraction x layers)].");
  public static final Setting<String> GENERATOR_FEATURE_POOLING = define("generator.feature.pooling", STRING, "last",
      "How a response's hidden states become its feature: last (the state at the last token, the paper's) or mean "
          + "(the mean over the response tokens, EOS excluded). Recorded on every candidate; a ranker refuses features "
          + "of another pooling.");
  public static final Setting<Integer> GENERATOR_BATCH_TOKENS = define("generator.batch.tokens", INT, "32768",
      "Token budget of one forward batch: prompts x K x (longest prompt + max new tokens); a single prompt over it "
          + "still runs alone.");
  public static final Setting<Integer> GENERATOR_K_DEFAULT = define("generator.k.default", INT, "10",
      "Candidates per prompt when the prompt does not say.");
  public static final Setting<Integer> GENERATOR_K_MAX = define("generator.k.max", INT, "100",
      "Largest K a prompt may ask for; larger requests are dead-lettered.");
  public static final Setting<Integer> GENERATOR_MAX_NEW_TOKENS = define("generator.max.new.tokens", INT, "256",
      "New tokens per candidate when the prompt does not say.");
  public static final Setting<String> GENERATOR_INSTANCE_ID = define("generator.instance.id", STRING, "",
      "Stable name of this instance, part of its transactional.id: a restarted instance with the same name aborts "
          + "its predecessor's open transaction at once. Empty: the host name.");

  // Labeler
  public static final Setting<Integer> LABELER_WORKERS = define("labeler.workers", INT, "2",
      "Verification worker threads; verification never runs on a stream thread.");
  public static final Setting<Integer> LABELER_MAX_IN_FLIGHT = define("labeler.max.in.flight", INT, "16",
      "Verifications submitted to the workers at once; the rest wait, durably, in the pending store.");
  public static final Setting<Duration> LABELER_GROUP_TIMEOUT = define("labeler.group.timeout", DURATION, "2m",
      "After a request's first candidate, publish its training example with the candidates labeled so far once this passes.");
  public static final Setting<Duration> LABELER_PENDING_TIMEOUT = define("labeler.pending.timeout", DURATION, "1h",
      "How long candidates without any label wait for a reference or external outcome before the request is dropped.");
  public static final Setting<Duration> LABELER_DONE_RETENTION = define("labeler.done.retention", DURATION, "1h",
      "How long a finished request is remembered, so that late candidates and outcomes are counted and dropped.");
  public static final Setting<Duration> LABELER_SANDBOX_TIMEOUT = define("labeler.sandbox.timeout", DURATION, "10s",
      "Wall-clock limit of one code verification run (Python start-up included).");
  public static final Setting<Integer> LABELER_SANDBOX_CONCURRENCY = define("labeler.sandbox.concurrency", INT, "2",
      "Python sandbox processes running at once.");
  public static final Setting<Double> LABELER_MATH_RELATIVE_TOLERANCE = define("labeler.math.relative.tolerance",
      DOUBLE, "1e-6",
      "Math verifier: relative tolerance for numbers written with a decimal point (0.142857143 = 1/7). Exact values "
          + "compare exactly; a looser value such as 0.02 also accepts answers rounded to two digits (0.14 = 1/7).");
  public static final Setting<Boolean> LABELER_MATH_ROUNDED_DECIMALS = define("labeler.math.rounded.decimals",
      BOOLEAN, "true",
      "Math verifier: a decimal answer equals an exact reference it rounds to at the digits it shows (0.67 = 2/3, "
          + "1.4286 = 10/7), when it shows its value to better than 1% (0.33 is not 1/3); false compares by tolerance only.");
  public static final Setting<Duration> LABELER_MATH_TIME_LIMIT = define("labeler.math.time.limit", DURATION, "1s",
      "Math verifier: CPU-time limit of one verdict; a pathological answer that exceeds it is unparseable, with the reason. "
          + "Typical verdicts take 0.02-0.5 ms, a cold JVM's first about 80 ms.");

  // Trainer
  public static final Setting<Path> TRAINER_DATA_DIR = define("trainer.data.dir", PATH,
      "${user.home}/.language-ranker/trainer",
      "Where a trainer instance keeps its training sets: per rankerId, .lrts shards and the offsets they hold.");
  public static final Setting<Integer> TRAINER_WINDOW_REQUESTS = define("trainer.window.requests", INT, "20000",
      "Newest labeled requests kept per rankerId; older shards are dropped whole once the newer ones hold this many.");
  public static final Setting<Integer> TRAINER_SHARD_REQUESTS = define("trainer.shard.requests", INT, "1000",
      "Requests per training shard on disk; a shard is also closed before every run.");
  public static final Setting<Integer> TRAINER_RETRAIN_MIN_NEW_REQUESTS = define("trainer.retrain.min-new-requests",
      INT, "200",
      "Retrain a rankerId once this many new labeled requests arrived since its last run.");
  public static final Setting<Duration> TRAINER_RETRAIN_INTERVAL = define("trainer.retrain.interval", DURATION, "1h",
      "Retrain a rankerId when this passed since its last run and any new request arrived, whichever comes first.");
  public static final Setting<Integer> TRAINER_MAX_PARALLEL_RUNS = define("trainer.max.parallel.runs", INT, "1",
      "Training runs at once in one trainer instance (never two of one rankerId).");
  public static final Setting<Duration> TRAINER_RETRY_BACKOFF = define("trainer.retry.backoff", DURATION, "1m",
      "After a run throws, wait this long before retrying that rankerId.");
  public static final Setting<Double> TRAINER_HOLDOUT_FRACTION = define("trainer.holdout.fraction", DOUBLE, "0.2",
      "Share of request ids held out (by SHA-256 of the request id) to gate challenger against champion; never trained on.");
  public static final Setting<Double> TRAINER_GATE_MIN_IMPROVEMENT = define("trainer.gate.min-improvement", DOUBLE,
      "0.0",
      "Promote only when the interval's lower bound of challenger minus champion is above this.");
  public static final Setting<Double> TRAINER_GATE_CONFIDENCE = define("trainer.gate.confidence", DOUBLE, "0.95",
      "Two-sided confidence of the paired bootstrap interval.");
  public static final Setting<Integer> TRAINER_GATE_MIN_HOLDOUT_REQUESTS = define("trainer.gate.min-holdout-requests",
      INT, "100",
      "Never promote on fewer held-out requests than this.");
  public static final Setting<Integer> TRAINER_GATE_RESAMPLES = define("trainer.gate.resamples", INT, "2000",
      "Bootstrap resamples of the held-out requests (the same resample for challenger and champion).");
  // Training defaults: the same values as ranker-core's TrainingConfig.defaults() (a trainer-service test keeps them in
  // step), except that the trainer reads every side feature, the product's best ranker.
  public static final Setting<String> TRAINER_ARCHITECTURE = define("trainer.architecture", STRING, "listwise",
      "Ranker family: listwise or pointwise.");
  public static final Setting<String> TRAINER_SIDE_FEATURES = define("trainer.side.features", STRING,
      "vote_share,logprob_z,length_z",
      "Side features the ranker reads next to the hidden states, computed per candidate from its request's answer keys, "
          + "mean log-probs and token counts (the ranker service computes them the same way): any of vote_share, "
          + "logprob_z, length_z, separated by ',' or '+', or 'none' for the paper's hidden-state ranker.");
  public static final Setting<Boolean> TRAINER_HIDDEN_STATES = define("trainer.hidden.states", BOOLEAN, "true",
      "Whether the ranker reads the hidden states; false trains a side-feature-only ranker (needs side features).");
  public static final Setting<String> TRAINER_OPTIMIZER = define("trainer.optimizer", STRING, "adamw",
      "Optimiser: adamw or sgd.");
  public static final Setting<Double> TRAINER_LEARNING_RATE = define("trainer.learning.rate", DOUBLE, "0.002",
      "Learning rate (of the projection and blocks; the side features' linear score learns 25 times faster with adamw).");
  public static final Setting<Double> TRAINER_WEIGHT_DECAY = define("trainer.weight.decay", DOUBLE, "0.01",
      "Weight decay of the optimiser.");
  public static final Setting<Integer> TRAINER_EPOCHS = define("trainer.epochs", INT, "50",
      "Most epochs over the training requests; validation usually stops the run much earlier.");
  public static final Setting<Integer> TRAINER_BATCH_SIZE = define("trainer.batch.size", INT, "64",
      "Groups per optimisation step.");
  public static final Setting<Integer> TRAINER_GROUP_SIZE = define("trainer.group.size", INT, "10",
      "Candidates per training group (K).");
  public static final Setting<Integer> TRAINER_GROUPS_PER_PROMPT = define("trainer.groups.per.prompt", INT, "2",
      "Groups of trainer.group.size drawn per training request per epoch; when a request has no more candidates than "
          + "that, every draw is the same group, so this acts as extra passes.");
  public static final Setting<Double> TRAINER_VALIDATION_FRACTION = define("trainer.validation.fraction", DOUBLE, "0.2",
      "Share of the training requests (by another stable hash of the request id) kept out of fitting to choose the "
          + "epoch whose weights are kept and to stop early; 0 runs every epoch and keeps the last.");
  public static final Setting<Integer> TRAINER_PATIENCE = define("trainer.patience", INT, "2",
      "Epochs without a better validation result before the run stops.");
  public static final Setting<Boolean> TRAINER_STANDARDIZE = define("trainer.standardize", BOOLEAN, "true",
      "Standardize hidden-state features per dimension with training statistics (folded into the released weights, so "
          + "serving reads raw features).");
  public static final Setting<Boolean> TRAINER_WARM_START = define("trainer.warm-start", BOOLEAN, "false",
      "Start each run from the champion's weights when the champion is a ranker of the same shape (architecture, dims, "
          + "layer, pooling, side features, hidden states); otherwise, and by default, train from fresh seeded weights. "
          + "Each run reports which it did and why.");
  public static final Setting<Integer> TRAINER_SEED = define("trainer.seed", INT, "42",
      "Seed of group sampling, weight initialisation and the bootstrap: the same data gives the same decision.");
  public static final Setting<String> TRAINER_OVERRIDES = define("trainer.overrides", STRING, "",
      "Per-rankerId hyperparameters: 'rankerId:key=value,key=value;otherId:key=value' with keys architecture, "
          + "side.features (joined with '+'), hidden.states, optimizer, learning.rate, weight.decay, epochs, batch.size, "
          + "group.size, groups.per.prompt, validation.fraction, patience, standardize, warm-start, seed.");

  // Dashboard
  public static final Setting<Integer> DASHBOARD_PORT = define("dashboard.port", INT, "8080",
      "Port of the dashboard (web page, /api/state, and /metrics with kafka-lag-exporter's metric names); 0 picks a "
          + "free port.");
  public static final Setting<String> DASHBOARD_BIND = define("dashboard.bind", STRING, "127.0.0.1",
      "Address the dashboard binds to; localhost only unless set (e.g. 0.0.0.0).");
  public static final Setting<Duration> DASHBOARD_INTERVAL = define("dashboard.interval", DURATION, "2s",
      "How often the dashboard samples consumer-group offsets and end offsets.");
  public static final Setting<Duration> DASHBOARD_WINDOW = define("dashboard.window", DURATION, "60s",
      "Evaluation window of the lag status (OK, WARN, STALL, STOP) and of the consume and produce rates.");
  public static final Setting<Duration> DASHBOARD_HISTORY = define("dashboard.history", DURATION, "6h",
      "How much lag history the dashboard keeps (in memory, and in the data directory under local).");
  public static final Setting<String> DASHBOARD_CLUSTER_NAME = define("dashboard.cluster.name", STRING, "local",
      "The cluster_name label of the exported lag metrics.");

  private Settings() {}

  private static <T> Setting<T> define(String key, Setting.SettingType<T> type, String defaultValue, String doc) {
    Setting<T> setting = new Setting<>(key, type, defaultValue, doc);
    if (ALL.putIfAbsent(key, setting) != null) {
      throw new IllegalStateException("setting defined twice: " + key);
    }
    return setting;
  }

  /** Every setting, in declaration order. */
  public static List<Setting<?>> all() {
    return Collections.unmodifiableList(new ArrayList<>(ALL.values()));
  }

  /** The setting with this key, or null. */
  public static Setting<?> byKey(String key) {
    return ALL.get(key);
  }

  private interface NumberParser<T> {
    T parse(String s);
  }

  private static <T> T parseNumber(String s, NumberParser<T> parser, String what) {
    try {
      return parser.parse(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not " + what);
    }
  }

  private static Boolean parseBoolean(String s) {
    return switch (s.toLowerCase()) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("'" + s + "' is not a boolean (true or false)");
    };
  }

  /** Durations are a number with a unit: 500ms, 30s, 5m, 2h, 7d; ISO-8601 (PT30S) also works. */
  static Duration parseDuration(String s) {
    Matcher m = DURATION_PATTERN.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + s + "' is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d)");
    }
  }

  private static Path parsePath(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("an empty path");
    }
    String expanded = s.replace("${user.home}", System.getProperty("user.home"))
        .replace("${java.io.tmpdir}", System.getProperty("java.io.tmpdir"));
    return Path.of(expanded);
  }
}
