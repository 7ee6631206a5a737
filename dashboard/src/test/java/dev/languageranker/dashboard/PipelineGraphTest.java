package dev.languageranker.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.languageranker.dashboard.PipelineGraph.Edge;
import dev.languageranker.dashboard.PipelineGraph.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph derived from the topic catalogue and the services' access is the picture the dashboard has always drawn. */
class PipelineGraphTest {
  private static final LagSnapshot EMPTY = new LagSnapshot(0, "local", List.of(), List.of(), Map.of());

  @Test
  void theNodesAreThePipelinesTopicsAndServicesInTheirPlaces() {
    assertEquals(List.of(
        new Node("lr.prompts", "lr.prompts", "topic", 60, 60),
        new Node("lr-generator", "generator", "service", 250, 60),
        new Node("lr.candidates", "lr.candidates", "topic", 470, 60),
        new Node("lr-ranker", "ranker", "service", 690, 60),
        new Node("lr.answers", "lr.answers", "topic", 910, 60),
        new Node("lr.references", "lr.references", "topic", 250, 180),
        new Node("lr.verifications", "lr.verifications", "topic", 250, 320),
        new Node("lr-labeler", "labeler", "service", 470, 250),
        new Node("lr.training-examples", "lr.training-examples", "topic", 690, 250),
        new Node("lr-trainer", "trainer", "service", 910, 250),
        new Node("lr.ranker-models", "lr.ranker-models", "topic", 800, 155),
        new Node("lr.training-runs", "lr.training-runs", "topic", 910, 345),
        new Node("lr.training-examples-by-ranker", "lr.training-examples-by-ranker", "topic", 690, 345)),
        PipelineGraph.nodes());
  }

  @Test
  void theEdgesAreEachServicesGroupsWritesAndGrouplessReads() {
    assertEquals(List.of(
        new Edge("lr.prompts", "lr-generator", "lr-generator", "lr.prompts", "consume"),
        new Edge("lr-generator", "lr.candidates", null, "lr.candidates", "produce"),
        new Edge("lr.candidates", "lr-ranker", "lr-ranker", "lr.candidates", "consume"),
        new Edge("lr-ranker", "lr.answers", null, "lr.answers", "produce"),
        new Edge("lr.candidates", "lr-labeler", "lr-labeler", "lr.candidates", "consume"),
        new Edge("lr.references", "lr-labeler", "lr-labeler", "lr.references", "consume"),
        new Edge("lr.verifications", "lr-labeler", "lr-labeler", "lr.verifications", "consume"),
        new Edge("lr-labeler", "lr.verifications", null, "lr.verifications", "produce"),
        new Edge("lr-labeler", "lr.training-examples", null, "lr.training-examples", "produce"),
        new Edge("lr.training-examples", "lr-trainer", "lr-trainer-rekey", "lr.training-examples", "consume"),
        new Edge("lr.training-examples-by-ranker", "lr-trainer", "lr-trainer", "lr.training-examples-by-ranker",
            "consume"),
        new Edge("lr-trainer", "lr.ranker-models", null, "lr.ranker-models", "produce"),
        new Edge("lr-trainer", "lr.training-runs", null, "lr.training-runs", "produce"),
        new Edge("lr.ranker-models", "lr-ranker", null, "lr.ranker-models", "read")),
        PipelineGraph.edges(EMPTY));
  }

  @Test
  void eachServiceIsMeasuredOnItsResult() {
    assertEquals(List.of("lr.candidates", "lr.answers", "lr.training-examples", "lr.training-runs"),
        List.of(PipelineGraph.GENERATOR, PipelineGraph.RANKER, PipelineGraph.LABELER, PipelineGraph.TRAINER).stream()
            .map(PipelineGraph::outputOf).toList());
  }
}
