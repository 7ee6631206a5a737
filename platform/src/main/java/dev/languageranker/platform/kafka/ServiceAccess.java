package dev.languageranker.platform.kafka;

import java.util.List;
import java.util.stream.Stream;

/**
 * The one description of what each deployed process does on Kafka, next to the topic catalogue it refers to. The
 * Strimzi {@code KafkaUser} resources (least ACLs) are generated from it, and tests hold each service's code to it
 * (its group ids, transactional ids and topology topics).
 */
public final class ServiceAccess {
  /**
   * Consumes prompts in its group and commits candidates (and dead letters) in the same transaction as the consumed
   * offsets; its transactional id is {@code lr-generator-<generator.instance.id>}.
   */
  public static final KafkaAccess GENERATOR = KafkaAccess.of("generator", "lr-generator",
      "samples K candidates per prompt with hidden-state features")
      .consumer("lr-generator", Topics.PROMPTS)
      .produces(Topics.CANDIDATES, Topics.DEAD_LETTERS)
      .transactionalIds("lr-generator-");

  /**
   * A Kafka Streams app; it also re-reads {@code lr.candidates} by assignment to recover groups after a restart, and
   * every instance reads all of {@code lr.ranker-models} by assignment to hot-swap versions.
   */
  public static final KafkaAccess RANKER = KafkaAccess.of("ranker", "lr-ranker",
      "groups candidates per request, ranks them, emits answers; hot-swaps ranker versions")
      .streamsApp("lr-ranker", Topics.CANDIDATES)
      .reads(Topics.CANDIDATES, Topics.RANKER_MODELS)
      .produces(Topics.ANSWERS, Topics.DEAD_LETTERS);

  /** A Kafka Streams app; it writes its own verdicts to {@code lr.verifications}, where external verdicts arrive too. */
  public static final KafkaAccess LABELER = KafkaAccess.of("labeler", "lr-labeler",
      "verifies candidates and joins outcomes with features into training examples")
      .streamsApp("lr-labeler", Topics.CANDIDATES, Topics.REFERENCES, Topics.VERIFICATIONS)
      .produces(Topics.VERIFICATIONS, Topics.TRAINING_EXAMPLES, Topics.DEAD_LETTERS);

  /**
   * A Kafka Streams app ({@code lr-trainer-rekey}) re-keys training examples by rankerId onto
   * {@code lr.training-examples-by-ranker}; the trainer loop consumes that topic in group {@code lr-trainer} (each
   * rankerId has one owner) and commits offsets itself; it reads the head of {@code lr.ranker-models} (the champion)
   * by assignment and publishes versions, run reports and dead letters with an idempotent, non-transactional producer.
   */
  public static final KafkaAccess TRAINER = KafkaAccess.of("trainer", "lr-trainer",
      "retrains rankers, gates them on held-out data, publishes versions")
      .streamsApp("lr-trainer-rekey", Topics.TRAINING_EXAMPLES)
      .consumer("lr-trainer", Topics.TRAINING_EXAMPLES_BY_RANKER)
      .reads(Topics.RANKER_MODELS)
      .produces(Topics.TRAINING_EXAMPLES_BY_RANKER, Topics.RANKER_MODELS, Topics.TRAINING_RUNS, Topics.DEAD_LETTERS);

  /** The four pipeline services, in pipeline order. */
  public static final List<KafkaAccess> SERVICES = List.of(GENERATOR, RANKER, LABELER, TRAINER);

  /**
   * Reads every topic by assignment (the timestamp of the record at a group's committed offset gives its time lag)
   * and describes the services' groups; it joins no group and writes nothing.
   */
  public static final KafkaAccess DASHBOARD = KafkaAccess.of("dashboard", "lr-dashboard",
      "pipeline lag in records and seconds, versions and live accuracy; Prometheus metrics")
      .reads(Topics.ALL.toArray(Topic<?>[]::new))
      .describes(SERVICES.stream().flatMap(s -> s.groups().stream()).toList());

  /** KEDA's Kafka scaler: reads the committed offsets and end offsets of the groups and topics it scales on. */
  public static final KafkaAccess AUTOSCALER = KafkaAccess.of("autoscaler", "lr-keda",
      "KEDA's Kafka scaler: consumer-group lag of the scaled services")
      .describes(List.of("lr-generator", "lr-ranker", "lr-labeler"), Topics.PROMPTS, Topics.CANDIDATES);

  /**
   * The client commands {@code ask}, {@code produce}, {@code answers} and {@code feedback}: prompts with their
   * references in, answers read by assignment, external verdicts in. ({@code lag} needs the dashboard's rights.)
   */
  public static final KafkaAccess CLIENT = KafkaAccess.of("client", "lr-client",
      "client commands: send prompts, references and feedback, read answers")
      .reads(Topics.ANSWERS)
      .produces(Topics.PROMPTS, Topics.REFERENCES, Topics.VERIFICATIONS);

  /** The operator commands {@code rankers list|publish|rollback}: read the versions, publish or republish a head. */
  public static final KafkaAccess OPERATOR = KafkaAccess.of("operator", "lr-operator",
      "ranker versions: list, publish a bundle, roll back")
      .reads(Topics.RANKER_MODELS)
      .produces(Topics.RANKER_MODELS);

  /** Every process that gets its own Kafka user. */
  public static final List<KafkaAccess> ALL = Stream
      .concat(SERVICES.stream(), Stream.of(DASHBOARD, AUTOSCALER, CLIENT, OPERATOR)).toList();

  private ServiceAccess() {}
}
