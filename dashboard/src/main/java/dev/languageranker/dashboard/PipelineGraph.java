package dev.languageranker.dashboard;

import dev.languageranker.platform.kafka.KafkaAccess;
import dev.languageranker.platform.kafka.ServiceAccess;
import dev.languageranker.platform.kafka.Topic;
import dev.languageranker.platform.kafka.Topics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The pipeline as the dashboard draws it, from {@link Topics} and {@link ServiceAccess}, at fixed places (no jumping). */
public final class PipelineGraph {
  // A service's node is named after its Kafka user, which is also the group its lag is looked up by.
  public static final String GENERATOR = ServiceAccess.GENERATOR.user();
  public static final String RANKER = ServiceAccess.RANKER.user();
  public static final String LABELER = ServiceAccess.LABELER.user();
  public static final String TRAINER = ServiceAccess.TRAINER.user();

  /** A node at a fixed position of a 1000 x 380 drawing. */
  public record Node(String id, String label, String kind, int x, int y) {}

  /** An edge; {@code group} is null for produce edges and for readers without a group. */
  public record Edge(String from, String to, String group, String topic, String kind) {}

  // Topics without a place are not drawn: lr.dead-letters, which every service writes.
  private static final List<Node> NODES = List.of(
      topic(Topics.PROMPTS, 60, 60),
      service(ServiceAccess.GENERATOR, 250, 60),
      topic(Topics.CANDIDATES, 470, 60),
      service(ServiceAccess.RANKER, 690, 60),
      topic(Topics.ANSWERS, 910, 60),
      topic(Topics.REFERENCES, 250, 180),
      topic(Topics.VERIFICATIONS, 250, 320),
      service(ServiceAccess.LABELER, 470, 250),
      topic(Topics.TRAINING_EXAMPLES, 690, 250),
      service(ServiceAccess.TRAINER, 910, 250),
      topic(Topics.RANKER_MODELS, 800, 155),
      topic(Topics.TRAINING_RUNS, 910, 345),
      topic(Topics.TRAINING_EXAMPLES_BY_RANKER, 690, 345));

  // A service writes other topics too; throughput is measured on its result.
  private static final Map<String, Topic<?>> OUTPUTS = Map.of(GENERATOR, Topics.CANDIDATES, RANKER, Topics.ANSWERS,
      LABELER, Topics.TRAINING_EXAMPLES, TRAINER, Topics.TRAINING_RUNS);

  private static final List<Edge> EDGES = fixedEdges();

  private PipelineGraph() {}

  public static List<Node> nodes() {
    return NODES;
  }

  /**
   * Consume edges from a topic to the service whose group reads it, produce edges from a service to the topics it
   * writes, read edges for readers without a group; plus, to a node of its own, any group and topic the snapshot
   * shows that this layout does not have.
   */
  public static List<Edge> edges(LagSnapshot snapshot) {
    List<Edge> edges = new ArrayList<>(EDGES);
    Set<String> known = new LinkedHashSet<>();
    EDGES.forEach(e -> known.add(e.group() + "|" + e.topic()));
    for (GroupLag group : snapshot.groups()) {
      for (TopicLag topic : group.topics()) {
        if (!known.contains(group.group() + "|" + topic.topic())) {
          edges.add(new Edge(topic.topic(), group.group(), group.group(), topic.topic(), "consume"));
        }
      }
    }
    return edges;
  }

  /** The topic a service's throughput is measured on (what it produces). */
  public static String outputOf(String group) {
    Topic<?> output = OUTPUTS.get(group);
    return output == null ? null : output.name();
  }

  private static List<Edge> fixedEdges() {
    Set<String> drawn = NODES.stream().map(Node::id).collect(Collectors.toSet());
    List<Edge> edges = new ArrayList<>();
    for (KafkaAccess service : ServiceAccess.SERVICES) {
      String node = service.user();
      for (KafkaAccess.ConsumerGroup group : service.consumerGroups()) {
        group.topics().stream().filter(t -> drawn.contains(t.name()))
            .forEach(t -> edges.add(new Edge(t.name(), node, group.group(), t.name(), "consume")));
      }
      // A topic passed from one of a service's groups to another (the trainer's re-keying app to its training loop)
      // is the service's own business: it is drawn once, as the consume edge whose lag matters.
      boolean severalGroups = service.consumerGroups().size() > 1;
      service.produces().stream()
          .filter(t -> drawn.contains(t.name()) && !(severalGroups && service.consumes().contains(t)))
          .forEach(t -> edges.add(new Edge(node, t.name(), null, t.name(), "produce")));
    }
    // Reads without a group (ranker instances read all of lr.ranker-models, each needs every version); a topic a
    // service consumes or writes already has its line.
    for (KafkaAccess service : ServiceAccess.SERVICES) {
      service.reads().stream().filter(t -> drawn.contains(t.name()) && !service.consumes().contains(t)
          && !service.produces().contains(t))
          .forEach(t -> edges.add(new Edge(t.name(), service.user(), null, t.name(), "read")));
    }
    return List.copyOf(edges);
  }

  private static Node topic(Topic<?> topic, int x, int y) {
    return new Node(topic.name(), topic.name(), "topic", x, y);
  }

  private static Node service(KafkaAccess service, int x, int y) {
    return new Node(service.user(), service.service(), "service", x, y);
  }
}
