package dev.languageranker.platform.kafka;

import java.util.List;
import java.util.stream.Stream;

/**
 * The one description of what each deployed process does on Kafka, next to the topic catalogue it refers to. The
 * Strimzi {@code KafkaUser} resources (least ACLs) are generated from it, and tests hold each service's code to it
 * (its group id, transactional ids and topology topics).
 */
public final class ServiceAccess {
  /**
   * Consumes prompts in its group and commits candidates (and dead letters) in the same transaction as the consumed
   * offsets; its transactional id is {@code lr-generator-<generator.instance.id>}.
   */
  public static final KafkaAccess GENERATOR = new KafkaAccess("generator", "lr-generator", "lr-generator",
      List.of(Topics.PROMPTS), List.of(), List.of(Topics.CANDIDATES, Topics.DEAD_LETTERS),
      "lr-generator-", null, List.of(), List.of(),
      "samples K candidates per prompt with hidden-state features");

  /**
   * A Kafka Streams app (exactly-once v2: transactional ids {@code lr-ranker-<process>-<thread>}, changelogs
   * {@code lr-ranker-*}). It also re-reads {@code lr.candidates} by assignment to recover groups after a restart, and
   * every instance reads all of {@code lr.ranker-models} by assignment (no group) to hot-swap versions.
   */
  public static final KafkaAccess RANKER = new KafkaAccess("ranker", "lr-ranker", "lr-ranker",
      List.of(Topics.CANDIDATES), List.of(Topics.CANDIDATES, Topics.RANKER_MODELS),
      List.of(Topics.ANSWERS, Topics.DEAD_LETTERS), "lr-ranker-", "lr-ranker-", List.of(), List.of(),
      "groups candidates per request, ranks them, emits answers; hot-swaps ranker versions");

  /**
   * A Kafka Streams app (exactly-once v2, changelogs {@code lr-labeler-*}); it writes its own verdicts to
   * {@code lr.verifications}, which it also consumes (external verdicts arrive there too).
   */
  public static final KafkaAccess LABELER = new KafkaAccess("labeler", "lr-labeler", "lr-labeler",
      List.of(Topics.CANDIDATES, Topics.REFERENCES, Topics.VERIFICATIONS), List.of(),
      List.of(Topics.VERIFICATIONS, Topics.TRAINING_EXAMPLES, Topics.DEAD_LETTERS), "lr-labeler-", "lr-labeler-",
      List.of(), List.of(), "verifies candidates and joins outcomes with features into training examples");

  /**
   * Consumes training examples in its group (one owner per rankerId, re-keyed through its own {@code lr-trainer-*}
   * topic), reads the head of {@code lr.ranker-models} (the champion) by assignment, and publishes versions and
   * run reports transactionally.
   */
  public static final KafkaAccess TRAINER = new KafkaAccess("trainer", "lr-trainer", "lr-trainer",
      List.of(Topics.TRAINING_EXAMPLES), List.of(Topics.RANKER_MODELS),
      List.of(Topics.RANKER_MODELS, Topics.TRAINING_RUNS, Topics.DEAD_LETTERS), "lr-trainer-", "lr-trainer-",
      List.of(), List.of(), "retrains rankers, gates them on held-out data, publishes versions");

  /** The four pipeline services, in pipeline order. */
  public static final List<KafkaAccess> SERVICES = List.of(GENERATOR, RANKER, LABELER, TRAINER);

  /**
   * Reads every topic by assignment (the timestamp of the record at a group's committed offset gives its time lag)
   * and describes the services' groups; it joins no group and writes nothing.
   */
  public static final KafkaAccess DASHBOARD = new KafkaAccess("dashboard", "lr-dashboard", null, List.of(),
      Topics.ALL, List.of(), null, null, SERVICES.stream().map(KafkaAccess::group).toList(), List.of(),
      "pipeline lag in records and seconds, versions and live accuracy; Prometheus metrics");

  /** KEDA's Kafka scaler: reads the committed offsets and end offsets of the groups and topics it scales on. */
  public static final KafkaAccess AUTOSCALER = new KafkaAccess("autoscaler", "lr-keda", null, List.of(), List.of(),
      List.of(), null, null, List.of(GENERATOR.group(), RANKER.group(), LABELER.group()),
      List.of(Topics.PROMPTS, Topics.CANDIDATES), "KEDA's Kafka scaler: consumer-group lag of the scaled services");

  /** Every process that gets its own Kafka user. */
  public static final List<KafkaAccess> ALL =
      Stream.concat(SERVICES.stream(), Stream.of(DASHBOARD, AUTOSCALER)).toList();

  private ServiceAccess() {}
}
