package dev.languageranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.KafkaAccess;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.Topics;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strimzi {@code KafkaTopic} resources from the topic catalogue and {@code KafkaUser} resources with least ACLs
 * from {@link dev.languageranker.platform.kafka.ServiceAccess}. Output is deterministic, so a committed copy can be
 * compared with a fresh one.
 */
final class StrimziResources {
  static final String API_VERSION = "kafka.strimzi.io/v1beta2";
  static final String CLUSTER_LABEL = "strimzi.io/cluster";
  static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build())
      .build();

  private final String cluster;
  private final LrConfig config;

  /** Resources for the Strimzi cluster named {@code cluster}; partitions, replication and retention from {@code config}. */
  StrimziResources(String cluster, LrConfig config) {
    this.cluster = cluster;
    this.config = config;
  }

  /** One KafkaTopic per catalogue topic, in catalogue order. */
  List<ObjectNode> topics() {
    List<ObjectNode> resources = new ArrayList<>();
    for (Topic<?> topic : Topics.ALL) {
      ObjectNode resource = resource("KafkaTopic", topic.name());
      resource.with("metadata").putObject("annotations").put("language-ranker/doc", topic.doc());
      ObjectNode spec = resource.putObject("spec");
      spec.put("topicName", topic.name());
      spec.put("partitions", Topics.partitionsOf(topic, config));
      spec.put("replicas", Topics.newTopic(topic, config).replicationFactor());
      ObjectNode configs = spec.putObject("config");
      Topics.configsOf(topic, config).forEach(configs::put);
      resources.add(resource);
    }
    return resources;
  }

  /** One KafkaUser per process, with SCRAM or TLS authentication and the ACLs its access description implies. */
  List<ObjectNode> users(List<KafkaAccess> accesses, String authentication) {
    List<ObjectNode> resources = new ArrayList<>();
    for (KafkaAccess access : accesses) {
      ObjectNode resource = resource("KafkaUser", access.user());
      resource.with("metadata").putObject("annotations").put("language-ranker/purpose", access.purpose());
      ObjectNode spec = resource.putObject("spec");
      spec.putObject("authentication").put("type", authentication);
      ObjectNode authorization = spec.putObject("authorization");
      authorization.put("type", "simple");
      ArrayNode acls = authorization.putArray("acls");
      acls(access).forEach(acl -> acls.add(acl.toNode()));
      resources.add(resource);
    }
    return resources;
  }

  /** One ACL entry: a resource (type, name, literal or prefix) and the operations allowed on it. */
  record Acl(String type, String name, String patternType, Set<String> operations) {
    ObjectNode toNode() {
      ObjectNode node = YAML.createObjectNode();
      ObjectNode resource = node.putObject("resource");
      resource.put("type", type);
      if (name != null) {
        resource.put("name", name);
        resource.put("patternType", patternType);
      }
      ArrayNode ops = node.putArray("operations");
      operations.stream().sorted().forEach(ops::add);
      node.put("host", "*");
      return node;
    }
  }

  /**
   * The least ACLs for an access description: Read on topics consumed or read, Write on topics produced (Describe
   * with both), Read on the consumer group, Write on its transactional ids, what Kafka Streams needs on its internal
   * topics, and Describe on groups and topics a lag reader inspects.
   */
  static List<Acl> acls(KafkaAccess access) {
    Map<String, Set<String>> topicOps = new LinkedHashMap<>();
    for (Topic<?> topic : Topics.ALL) {
      Set<String> ops = new LinkedHashSet<>();
      if (access.consumes().contains(topic) || access.reads().contains(topic)) {
        ops.add("Read");
      }
      if (access.produces().contains(topic)) {
        ops.add("Write");
      }
      if (!ops.isEmpty() || access.describedTopics().contains(topic)) {
        ops.add("Describe");
        topicOps.put(topic.name(), ops);
      }
    }
    for (Topic<?> topic : concat(access.consumes(), access.reads(), access.produces(), access.describedTopics())) {
      if (!Topics.ALL.contains(topic)) {
        throw new IllegalArgumentException(
            access.service() + " uses " + topic.name() + ", which is not in the catalogue");
      }
    }
    List<Acl> acls = new ArrayList<>();
    topicOps.forEach((name, ops) -> acls.add(new Acl("topic", name, "literal", ops)));
    // Kafka Streams creates its changelog and repartition topics, reads and writes them, and purges repartition
    // topics after commits (Delete); it checks their configs when it starts (DescribeConfigs).
    access.internalTopicPrefixes().forEach(prefix -> acls.add(new Acl("topic", prefix, "prefix",
        Set.of("Create", "Delete", "Describe", "DescribeConfigs", "Read", "Write"))));
    access.groups().forEach(group -> acls.add(new Acl("group", group, "literal", Set.of("Read"))));
    access.describedGroups().forEach(group -> acls.add(new Acl("group", group, "literal", Set.of("Describe"))));
    access.transactionalIdPrefixes()
        .forEach(prefix -> acls.add(new Acl("transactionalId", prefix, "prefix", Set.of("Describe", "Write"))));
    return acls;
  }

  /** The resources as one multi-document YAML file with a header saying how it was generated. */
  static String render(String header, List<? extends JsonNode> resources) {
    StringBuilder out = new StringBuilder();
    header.lines().forEach(line -> out.append("# ").append(line).append('\n'));
    for (JsonNode resource : resources) {
      try {
        out.append(YAML.writeValueAsString(resource));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  private ObjectNode resource(String kind, String name) {
    ObjectNode resource = YAML.createObjectNode();
    resource.put("apiVersion", API_VERSION);
    resource.put("kind", kind);
    ObjectNode metadata = resource.putObject("metadata");
    metadata.put("name", name);
    ObjectNode labels = metadata.putObject("labels");
    labels.put(CLUSTER_LABEL, cluster);
    labels.put("app.kubernetes.io/part-of", "language-ranker");
    return resource;
  }

  @SafeVarargs
  private static List<Topic<?>> concat(List<Topic<?>>... lists) {
    List<Topic<?>> all = new ArrayList<>();
    for (List<Topic<?>> list : lists) {
      all.addAll(list);
    }
    return all;
  }
}
