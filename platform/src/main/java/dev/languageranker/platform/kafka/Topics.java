package dev.languageranker.platform.kafka;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.DeadLetter;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.events.RankerRelease;
import dev.languageranker.events.Reference;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.TrainingRun;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topic catalogue: every topic of the pipeline, named once, with its value type and configs. Every topic sets
 * {@code max.message.bytes} itself so that behaviour does not depend on the broker's default.
 */
public final class Topics {
  private static final int MIB = 1024 * 1024;

  /** Retention of request-scoped topics comes from {@code topics.retention}; this marks it in the specs. */
  private static final String RETENTION_FROM_SETTINGS = "from-settings";

  public static final Topic<PromptRequest> PROMPTS = new Topic<>("lr.prompts", PromptRequest.class, "requestId", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, RETENTION_FROM_SETTINGS,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(4 * MIB)),
      "Prompts from clients; the generator samples K candidates for each.");
  public static final Topic<Reference> REFERENCES = new Topic<>("lr.references", Reference.class, "requestId", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, RETENTION_FROM_SETTINGS,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(4 * MIB)),
      "What a verifier needs for a request (expected answer, tests, expected calls).");
  // 8192-dim float32 features are 2 x 32 KiB per candidate; 8 MiB leaves room for long texts and batching.
  public static final Topic<Candidate> CANDIDATES = new Topic<>("lr.candidates", Candidate.class, "requestId", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, RETENTION_FROM_SETTINGS,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(8 * MIB)),
      "Sampled candidates with hidden-state features.");
  public static final Topic<RankedAnswer> ANSWERS = new Topic<>("lr.answers", RankedAnswer.class, "requestId", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, RETENTION_FROM_SETTINGS,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(4 * MIB)),
      "The selected answer per request.");
  public static final Topic<VerificationOutcome> VERIFICATIONS = new Topic<>("lr.verifications",
      VerificationOutcome.class,
      "requestId", 0, Map.of(TopicConfig.RETENTION_MS_CONFIG, RETENTION_FROM_SETTINGS,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MIB)),
      "Verdicts per candidate, from the labeler or external systems.");
  // A group of 100 candidates at 8192 dims in float32 is about 3.3 MB.
  public static final Topic<TrainingExample> TRAINING_EXAMPLES = new Topic<>("lr.training-examples",
      TrainingExample.class,
      "requestId", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000),
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(16 * MIB)),
      "Labeled groups (instruction feature, candidate features, labels) for the trainer; kept 30 days.");
  // The trainer re-keys lr.training-examples by rankerId into this topic (exactly-once), so all examples of one
  // ranker land in one partition, and the trainer consumer group gives each partition, so each ranker, one owner.
  public static final Topic<TrainingExample> TRAINING_EXAMPLES_BY_RANKER = new Topic<>("lr.training-examples-by-ranker",
      TrainingExample.class, "rankerId", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000),
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(16 * MIB)),
      "lr.training-examples re-keyed by rankerId by the trainer: one partition, so one trainer instance, per ranker.");
  // One partition: every ranker instance reads all of it, in order; compaction keeps the head of each ranker.
  public static final Topic<RankerRelease> RANKER_MODELS = new Topic<>("lr.ranker-models", RankerRelease.class,
      "rankerId", 1,
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(64 * MIB),
          TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(24L * 3600 * 1000)),
      "Ranker versions; compacted, the latest record per rankerId is the head.");
  public static final Topic<TrainingRun> TRAINING_RUNS = new Topic<>("lr.training-runs", TrainingRun.class, "rankerId",
      0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(90L * 24 * 3600 * 1000),
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MIB)),
      "Training attempts with held-out metrics and the publish decision; kept 90 days.");
  // A dead letter holds the whole rejected record, which may be a ranker bundle.
  public static final Topic<DeadLetter> DEAD_LETTERS = new Topic<>("lr.dead-letters", DeadLetter.class, "source key", 0,
      Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000),
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(64 * MIB)),
      "Records a service could not process, with the reason; kept 30 days.");

  /** Largest record any topic accepts; producers are configured to send it. */
  public static final int MAX_RECORD_BYTES = 64 * MIB;

  public static final List<Topic<?>> ALL = List.of(PROMPTS, REFERENCES, CANDIDATES, ANSWERS, VERIFICATIONS,
      TRAINING_EXAMPLES, TRAINING_EXAMPLES_BY_RANKER, RANKER_MODELS, TRAINING_RUNS, DEAD_LETTERS);

  private Topics() {}

  /** The configs the topic must have under {@code config}. */
  public static Map<String, String> configsOf(Topic<?> topic, LrConfig config) {
    Map<String, String> resolved = new LinkedHashMap<>();
    topic.configs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> resolved.put(e.getKey(),
        RETENTION_FROM_SETTINGS.equals(e.getValue())
            ? String.valueOf(config.get(Settings.TOPICS_RETENTION).toMillis())
            : e.getValue()));
    return resolved;
  }

  public static int partitionsOf(Topic<?> topic, LrConfig config) {
    return topic.fixedPartitions() > 0 ? topic.fixedPartitions() : config.get(Settings.TOPICS_PARTITIONS);
  }

  /** The topic as Kafka's admin API creates it. */
  public static NewTopic newTopic(Topic<?> topic, LrConfig config) {
    short replication = config.get(Settings.TOPICS_REPLICATION_FACTOR).shortValue();
    return new NewTopic(topic.name(), partitionsOf(topic, config), replication).configs(configsOf(topic, config));
  }
}
