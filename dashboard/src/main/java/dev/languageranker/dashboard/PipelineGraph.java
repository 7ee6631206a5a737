package dev.languageranker.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pipeline as a graph: topics and services as nodes, consumer groups as edges from a topic to the service that
 * reads it, and produce edges from a service to the topics it writes. The known layout is fixed (so the picture
 * does not jump); any other group a cluster has is added as an edge to a node of its own.
 */
public final class PipelineGraph {
  // The services' group ids; the dashboard depends on no service module, so they are named here.
  public static final String GENERATOR = "lr-generator";
  public static final String RANKER = "lr-ranker";
  public static final String LABELER = "lr-labeler";
  public static final String TRAINER = "lr-trainer";
  /** The trainer's Kafka Streams app that re-keys training examples by rankerId (one owner per rankerId). */
  public static final String TRAINER_REKEY = "lr-trainer-rekey";

  /** A node at a fixed position of a 1000 x 380 drawing. */
  public record Node(String id, String label, String kind, int x, int y) {}

  /** An edge; {@code group} is null for produce edges and for readers without a group. */
  public record Edge(String from, String to, String group, String topic, String kind) {}

  private static final List<Node> NODES = List.of(
      new Node("lr.prompts", "lr.prompts", "topic", 60, 60),
      new Node(GENERATOR, "generator", "service", 250, 60),
      new Node("lr.candidates", "lr.candidates", "topic", 470, 60),
      new Node(RANKER, "ranker", "service", 690, 60),
      new Node("lr.answers", "lr.answers", "topic", 910, 60),
      new Node("lr.references", "lr.references", "topic", 250, 180),
      new Node("lr.verifications", "lr.verifications", "topic", 250, 320),
      new Node(LABELER, "labeler", "service", 470, 250),
      new Node("lr.training-examples", "lr.training-examples", "topic", 690, 250),
      new Node(TRAINER, "trainer", "service", 910, 250),
      new Node("lr.ranker-models", "lr.ranker-models", "topic", 800, 155),
      new Node("lr.training-runs", "lr.training-runs", "topic", 910, 345),
      new Node("lr.training-examples-by-ranker", "lr.training-examples-by-ranker", "topic", 690, 345));

  private static final List<Edge> EDGES = List.of(
      new Edge("lr.prompts", GENERATOR, GENERATOR, "lr.prompts", "consume"),
      new Edge(GENERATOR, "lr.candidates", null, "lr.candidates", "produce"),
      new Edge("lr.candidates", RANKER, RANKER, "lr.candidates", "consume"),
      new Edge(RANKER, "lr.answers", null, "lr.answers", "produce"),
      new Edge("lr.candidates", LABELER, LABELER, "lr.candidates", "consume"),
      new Edge("lr.references", LABELER, LABELER, "lr.references", "consume"),
      new Edge("lr.verifications", LABELER, LABELER, "lr.verifications", "consume"),
      new Edge(LABELER, "lr.verifications", null, "lr.verifications", "produce"),
      new Edge(LABELER, "lr.training-examples", null, "lr.training-examples", "produce"),
      new Edge("lr.training-examples", TRAINER, TRAINER_REKEY, "lr.training-examples", "consume"),
      new Edge("lr.training-examples-by-ranker", TRAINER, TRAINER, "lr.training-examples-by-ranker", "consume"),
      new Edge(TRAINER, "lr.ranker-models", null, "lr.ranker-models", "produce"),
      new Edge(TRAINER, "lr.training-runs", null, "lr.training-runs", "produce"),
      // Ranker instances read all of lr.ranker-models without a group (each needs every version).
      new Edge("lr.ranker-models", RANKER, null, "lr.ranker-models", "read"));

  private PipelineGraph() {}

  public static List<Node> nodes() {
    return NODES;
  }

  /** The fixed edges plus one per group and topic the snapshot shows that the fixed layout does not have. */
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
    return switch (group) {
      case GENERATOR -> "lr.candidates";
      case RANKER -> "lr.answers";
      case LABELER -> "lr.training-examples";
      case TRAINER -> "lr.training-runs";
      default -> null;
    };
  }
}
