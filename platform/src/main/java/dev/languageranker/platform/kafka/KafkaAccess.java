package dev.languageranker.platform.kafka;

import java.util.List;

/**
 * What one deployed process does on Kafka, and so the least it may do: the consumer group it joins and the topics
 * it consumes in it, topics it reads by assignment (no group), topics it produces to, its transactional ids, the
 * internal topics it creates (Kafka Streams changelogs and repartition topics), and groups and topics it only
 * describes (lag readers). {@code group}, {@code transactionalIdPrefix} and {@code internalTopicPrefix} are null
 * when the process has none. ACLs and Kafka users are generated from this, never written by hand.
 */
public record KafkaAccess(
    String service,
    String user,
    String group,
    List<Topic<?>> consumes,
    List<Topic<?>> reads,
    List<Topic<?>> produces,
    String transactionalIdPrefix,
    String internalTopicPrefix,
    List<String> describedGroups,
    List<Topic<?>> describedTopics,
    String purpose) {

  public KafkaAccess {
    consumes = List.copyOf(consumes);
    reads = List.copyOf(reads);
    produces = List.copyOf(produces);
    describedGroups = List.copyOf(describedGroups);
    describedTopics = List.copyOf(describedTopics);
    if (group == null && !consumes.isEmpty()) {
      throw new IllegalArgumentException(service + " consumes " + consumes + " but has no consumer group");
    }
  }
}
