package dev.languageranker.systemtests;

import dev.languageranker.cli.CliRun;
import dev.languageranker.cli.StrimziCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.languageranker.generator.GeneratorService;
import dev.languageranker.generator.GeneratorSettings;
import dev.languageranker.labeler.LabelerService;
import dev.languageranker.labeler.LabelerTopology;
import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.kafka.EventSerdes;
import dev.languageranker.platform.kafka.KafkaAccess;
import dev.languageranker.platform.kafka.ServiceAccess;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.Topics;
import dev.languageranker.ranking.RankerService;
import dev.languageranker.ranking.RankerTopology;
import dev.languageranker.trainer.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Strimzi resources in k8s/base/kafka: what the strimzi command generates now, exactly the topic catalogue, and
 * least ACLs that match what each service's code really does.
 */
class StrimziResourcesIT {
  private static final Path COMMITTED = RepositoryFiles.path("k8s/base/kafka");
  /** The settings the committed files were generated with (the command's defaults). */
  private static final LrConfig COMMITTED_SETTINGS = LrConfig.builder().overrides(Map.of(
      "topics.partitions", "6", "topics.replication.factor", "3", "topics.retention", "7d")).build();

  @Test
  void theCommittedResourcesAreExactlyWhatTheCommandGeneratesNow(@TempDir Path out) throws Exception {
    CliRun run = CliRun.of("strimzi", "--output", out.toString());

    assertEquals(0, run.exitCode(), run.err());
    for (String file : List.of(StrimziCommand.TOPICS_FILE, StrimziCommand.USERS_FILE)) {
      assertEquals(Files.readString(out.resolve(file)), Files.readString(COMMITTED.resolve(file)),
          "k8s/base/kafka/" + file
              + " is stale: regenerate it with 'bin/language-ranker strimzi --output k8s/base/kafka'");
    }
  }

  @Test
  void everyCatalogueTopicHasOneKafkaTopicWithItsPartitionsReplicasAndConfigs() {
    List<JsonNode> topics = RepositoryFiles.documents(COMMITTED.resolve(StrimziCommand.TOPICS_FILE));

    assertEquals(Topics.ALL.stream().map(Topic::name).toList(),
        topics.stream().map(t -> t.at("/spec/topicName").asText()).toList());
    for (int i = 0; i < topics.size(); i++) {
      Topic<?> topic = Topics.ALL.get(i);
      JsonNode resource = topics.get(i);
      assertEquals("KafkaTopic", resource.get("kind").asText());
      assertEquals(topic.name(), resource.at("/metadata/name").asText());
      assertEquals("lr", resource.at("/metadata/labels/strimzi.io~1cluster").asText());
      assertEquals(Topics.partitionsOf(topic, COMMITTED_SETTINGS), resource.at("/spec/partitions").asInt(),
          topic.name());
      assertEquals(3, resource.at("/spec/replicas").asInt(), topic.name());
      Map<String, String> configs = new LinkedHashMap<>();
      resource.at("/spec/config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
      assertEquals(Topics.configsOf(topic, COMMITTED_SETTINGS), configs, topic.name());
    }
    assertEquals(1, topics.get(Topics.ALL.indexOf(Topics.RANKER_MODELS)).at("/spec/partitions").asInt());
    assertEquals("compact",
        topics.get(Topics.ALL.indexOf(Topics.RANKER_MODELS)).at("/spec/config/cleanup.policy").asText());
  }

  @Test
  void everyProcessHasOneKafkaUserWhoseAclsAreExactlyItsAccess() {
    List<JsonNode> users = RepositoryFiles.documents(COMMITTED.resolve(StrimziCommand.USERS_FILE));
    Set<String> catalogue = Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet());

    assertEquals(ServiceAccess.ALL.stream().map(KafkaAccess::user).toList(),
        users.stream().map(u -> u.at("/metadata/name").asText()).toList());
    for (int i = 0; i < users.size(); i++) {
      KafkaAccess access = ServiceAccess.ALL.get(i);
      JsonNode user = users.get(i);
      assertEquals("KafkaUser", user.get("kind").asText());
      assertEquals("simple", user.at("/spec/authorization/type").asText());
      assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText());
      Set<String> readTopics = new TreeSet<>();
      Set<String> writtenTopics = new TreeSet<>();
      Set<String> describedTopics = new TreeSet<>();
      for (JsonNode acl : user.at("/spec/authorization/acls")) {
        String type = acl.at("/resource/type").asText();
        String name = acl.at("/resource/name").asText();
        String pattern = acl.at("/resource/patternType").asText();
        Set<String> ops = StreamSupport.stream(acl.get("operations").spliterator(), false).map(JsonNode::asText)
            .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(ops.contains("All"), access.user() + ": no All operations");
        assertNotEquals("cluster", type, access.user() + ": no cluster permissions");
        assertFalse(name.isEmpty() || name.equals("*"), access.user() + ": no wildcard resources");
        switch (type) {
          case "topic" -> {
            if (pattern.equals("prefix")) {
              assertTrue(access.internalTopicPrefixes().contains(name), access.user() + " creates " + name + "*");
            } else {
              assertTrue(catalogue.contains(name), access.user() + " has an ACL on " + name + ", not in the catalogue");
              if (ops.contains("Read")) {
                readTopics.add(name);
              }
              if (ops.contains("Write")) {
                writtenTopics.add(name);
              }
              if (ops.equals(Set.of("Describe"))) {
                describedTopics.add(name);
              }
            }
          }
          case "group" -> {
            assertEquals("literal", pattern);
            if (ops.contains("Read")) {
              assertTrue(access.groups().contains(name), access.user() + " may join only its own groups, not " + name);
            } else {
              assertEquals(Set.of("Describe"), ops);
              assertTrue(access.describedGroups().contains(name), access.user() + " describes " + name);
            }
          }
          case "transactionalId" -> {
            assertEquals("prefix", pattern);
            assertTrue(access.transactionalIdPrefixes().contains(name), access.user() + " " + name);
            assertEquals(Set.of("Describe", "Write"), ops);
          }
          default -> throw new AssertionError(access.user() + ": unexpected ACL resource type " + type);
        }
      }
      assertEquals(names(access.consumes(), access.reads()), readTopics, access.user() + " reads");
      assertEquals(names(access.produces()), writtenTopics, access.user() + " writes");
      assertEquals(names(access.describedTopics()), describedTopics, access.user() + " describes");
    }
  }

  @Test
  void theServicesUseTheGroupsAndTransactionalIdsTheirAccessDescribes() {
    assertEquals(List.of(GeneratorService.GROUP_ID), ServiceAccess.GENERATOR.groups());
    String transactionalId = GeneratorSettings.from(LrConfig.builder()
        .overrides(Map.of("generator.instance.id", "generator-7")).build()).transactionalId();
    assertEquals(1, ServiceAccess.GENERATOR.transactionalIdPrefixes().size());
    assertTrue(transactionalId.startsWith(ServiceAccess.GENERATOR.transactionalIdPrefixes().get(0)), transactionalId);

    // Kafka Streams names the group, the transactional ids (exactly-once v2) and internal topics after the app id.
    assertEquals(List.of(RankerService.APPLICATION_ID), ServiceAccess.RANKER.groups());
    assertEquals(List.of(RankerService.APPLICATION_ID + "-"), ServiceAccess.RANKER.transactionalIdPrefixes());
    assertEquals(List.of(RankerService.APPLICATION_ID + "-"), ServiceAccess.RANKER.internalTopicPrefixes());
    assertEquals(List.of(LabelerService.APPLICATION_ID), ServiceAccess.LABELER.groups());
    assertEquals(List.of(LabelerService.APPLICATION_ID + "-"), ServiceAccess.LABELER.transactionalIdPrefixes());
    assertEquals(List.of(LabelerService.APPLICATION_ID + "-"), ServiceAccess.LABELER.internalTopicPrefixes());
    assertEquals(List.of(TrainerService.REKEY_APPLICATION_ID, TrainerService.GROUP_ID), ServiceAccess.TRAINER.groups());
    assertEquals(List.of(TrainerService.REKEY_APPLICATION_ID + "-"), ServiceAccess.TRAINER.transactionalIdPrefixes());
  }

  @Test
  void theStreamsTopologiesReadAndWriteExactlyTheTopicsTheirAccessDescribes() {
    EventSerdes serdes = new EventSerdes(COMMITTED_SETTINGS);
    // Only the topology's shape is described: processors (built lazily) are never created.
    Topology ranker = RankerTopology.build(serdes, null, null, () -> null, null,
        new RankerTopology.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMillis(1),
            Duration.ofMillis(1)),
        "ranker");
    Topology labeler = LabelerTopology.build(serdes, null, null, null,
        new LabelerTopology.Timing(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofMillis(1)),
        "labeler");

    assertEquals(names(ServiceAccess.RANKER.consumes()), sources(ranker));
    assertEquals(names(ServiceAccess.RANKER.produces()), sinks(ranker));
    assertEquals(names(ServiceAccess.LABELER.consumes()), sources(labeler));
    assertEquals(names(ServiceAccess.LABELER.produces()), sinks(labeler));
  }

  @SafeVarargs
  private static Set<String> names(List<Topic<?>>... lists) {
    Set<String> names = new TreeSet<>();
    for (List<Topic<?>> list : lists) {
      list.forEach(t -> names.add(t.name()));
    }
    return names;
  }

  private static Set<String> sources(Topology topology) {
    Set<String> topics = new TreeSet<>();
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      sub.nodes().stream().filter(n -> n instanceof TopologyDescription.Source)
          .forEach(n -> topics.addAll(((TopologyDescription.Source) n).topicSet()));
    }
    return topics;
  }

  private static Set<String> sinks(Topology topology) {
    Set<String> topics = new TreeSet<>();
    for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
      sub.nodes().stream().filter(n -> n instanceof TopologyDescription.Sink)
          .forEach(n -> topics.add(((TopologyDescription.Sink) n).topic()));
    }
    return topics;
  }
}
