package dev.languageranker.platform.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * What one deployed process does on Kafka, and so the least it may do: the consumer groups it joins and the topics
 * it consumes in them, topics it reads by assignment (no group), topics it produces to, its transactional id
 * prefixes, the prefixes of internal topics it creates (Kafka Streams changelogs and repartition topics), and groups
 * and topics it only describes (lag readers). Built declaratively, e.g.
 * {@code KafkaAccess.of(...).consumer("lr-generator", PROMPTS).produces(CANDIDATES)}; ACLs and Kafka users are
 * generated from it, never written by hand.
 */
public record KafkaAccess(
    String service,
    String user,
    String purpose,
    List<ConsumerGroup> consumerGroups,
    List<Topic<?>> reads,
    List<Topic<?>> produces,
    List<String> transactionalIdPrefixes,
    List<String> internalTopicPrefixes,
    List<String> describedGroups,
    List<Topic<?>> describedTopics) {

  /** A consumer group the process joins and the topics it consumes in it. */
  public record ConsumerGroup(String group, List<Topic<?>> topics) {
    public ConsumerGroup {
      topics = List.copyOf(topics);
    }
  }

  public KafkaAccess {
    consumerGroups = List.copyOf(consumerGroups);
    reads = List.copyOf(reads);
    produces = List.copyOf(produces);
    transactionalIdPrefixes = List.copyOf(transactionalIdPrefixes);
    internalTopicPrefixes = List.copyOf(internalTopicPrefixes);
    describedGroups = List.copyOf(describedGroups);
    describedTopics = List.copyOf(describedTopics);
  }

  /** A process that does nothing on Kafka yet, logging in as {@code user}. */
  public static KafkaAccess of(String service, String user, String purpose) {
    return new KafkaAccess(service, user, purpose, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of());
  }

  /** The consumer groups it joins, in the order declared. */
  public List<String> groups() {
    return consumerGroups.stream().map(ConsumerGroup::group).distinct().toList();
  }

  /** The topics it consumes in any of its groups, each once. */
  public List<Topic<?>> consumes() {
    return consumerGroups.stream().flatMap(g -> g.topics().stream()).distinct().toList();
  }

  /** Joins consumer group {@code group} and consumes {@code topics} in it (committing offsets there). */
  public KafkaAccess consumer(String group, Topic<?>... topics) {
    return new KafkaAccess(service, user, purpose, plus(consumerGroups, new ConsumerGroup(group, List.of(topics))),
        reads, produces, transactionalIdPrefixes, internalTopicPrefixes, describedGroups, describedTopics);
  }

  /**
   * A Kafka Streams app with exactly-once v2: Streams names the consumer group after the application id, its
   * transactional ids {@code <application.id>-<process>-<thread>} and its changelog and repartition topics
   * {@code <application.id>-...}.
   */
  public KafkaAccess streamsApp(String applicationId, Topic<?>... sources) {
    return consumer(applicationId, sources).transactionalIds(applicationId + "-").internalTopics(applicationId + "-");
  }

  /** Reads {@code topics} by assignment, in no group. */
  public KafkaAccess reads(Topic<?>... topics) {
    return new KafkaAccess(service, user, purpose, consumerGroups, plus(reads, topics), produces,
        transactionalIdPrefixes, internalTopicPrefixes, describedGroups, describedTopics);
  }

  public KafkaAccess produces(Topic<?>... topics) {
    return new KafkaAccess(service, user, purpose, consumerGroups, reads, plus(produces, topics),
        transactionalIdPrefixes, internalTopicPrefixes, describedGroups, describedTopics);
  }

  /** Uses transactional producers whose ids start with {@code prefix}. */
  public KafkaAccess transactionalIds(String prefix) {
    return new KafkaAccess(service, user, purpose, consumerGroups, reads, produces,
        plus(transactionalIdPrefixes, prefix), internalTopicPrefixes, describedGroups, describedTopics);
  }

  /** Creates, reads, writes and purges its own topics whose names start with {@code prefix}. */
  public KafkaAccess internalTopics(String prefix) {
    return new KafkaAccess(service, user, purpose, consumerGroups, reads, produces, transactionalIdPrefixes,
        plus(internalTopicPrefixes, prefix), describedGroups, describedTopics);
  }

  /** Reads the committed offsets of {@code groupIds} and the offsets of {@code topics}, nothing else. */
  public KafkaAccess describes(List<String> groupIds, Topic<?>... topics) {
    return new KafkaAccess(service, user, purpose, consumerGroups, reads, produces, transactionalIdPrefixes,
        internalTopicPrefixes, plus(describedGroups, groupIds.toArray(String[]::new)), plus(describedTopics, topics));
  }

  @SafeVarargs
  private static <T> List<T> plus(List<T> list, T... more) {
    List<T> all = new ArrayList<>(list);
    for (T item : more) {
      if (!all.contains(item)) {
        all.add(item);
      }
    }
    return all;
  }
}
