package dev.languageranker.labeler;

import static dev.languageranker.labeler.LabelerFixtures.candidate;
import static dev.languageranker.labeler.LabelerFixtures.feedback;
import static dev.languageranker.labeler.LabelerFixtures.functionReference;
import static dev.languageranker.labeler.LabelerFixtures.mathCandidate;
import static dev.languageranker.labeler.LabelerFixtures.mathReference;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.languageranker.answers.AnswerKeyExtractor;
import dev.languageranker.events.Candidate;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.Reference;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.labeler.verify.TaskVerifiers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainingExampleAssemblerTest {
  private static final AnswerKeyExtractor SERVING = new AnswerKeyExtractor();

  private final ReferenceVerifiers verifiers = new ReferenceVerifiers(new TaskVerifiers(() -> {
    throw new AssertionError("no code here");
  }), Clock.systemUTC());
  private final AtomicInteger keyed = new AtomicInteger();
  private final TrainingExampleAssembler.ServingKeys countingKeys = (task, response) -> {
    keyed.incrementAndGet();
    return SERVING.keyOf(task, response);
  };

  @Test
  void theLabelersMathVerdictsAreNotGradedAgainAndCarryTheServingKeys() {
    String[] answers = {"0.5", "1/2", "2", "\\dfrac12", "no idea"};
    List<Candidate> group = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      group.add(mathCandidate("q1", i, answers.length, answers[i]));
    }

    TrainingExample example = assembleVerified(group, mathReference("q1", "\\frac{1}{2}"));

    assertEquals(0, keyed.get(), "math answers are keyed once, by the verifier");
    for (LabeledCandidate c : example.getCandidates()) {
      assertEquals(SERVING.keyOf("MATH", group.get(c.getIndex()).getText()).orElse(null), c.getAnswerKey());
    }
  }

  @Test
  void externalVerdictsAndFunctionCallsAreKeyedFromTheText() {
    Candidate rated = mathCandidate("q2", 0, 2, "7");
    Map<Integer, VerificationOutcome> labels = new HashMap<>(Map.of(0, feedback("q2", 0, true)));
    String calls = "[{\"name\": \"f\", \"arguments\": {\"x\": 1}}]";
    Candidate call = candidate("q2", Task.FUNCTION_CALL, 1, 2, calls);
    labels.put(1, verifiers.verify("q2", 1, calls, functionReference("q2", "[{\"f\": {\"x\": [1]}}]")));

    TrainingExample example = TrainingExampleAssembler.assemble(List.of(rated, call), labels, 2, Instant.now(),
        countingKeys).orElseThrow();

    assertEquals(2, keyed.get());
    assertEquals(SERVING.keyOf("MATH", rated.getText()).orElseThrow(), example.getCandidates().get(0).getAnswerKey());
    assertEquals(SERVING.keyOf("FUNCTION_CALL", calls).orElseThrow(), example.getCandidates().get(1).getAnswerKey());
  }

  private TrainingExample assembleVerified(List<Candidate> group, Reference reference) {
    Map<Integer, VerificationOutcome> labels = new HashMap<>();
    for (Candidate c : group) {
      labels.put(c.getIndex(), verifiers.verify(c.getRequestId(), c.getIndex(), c.getText(), reference));
    }
    Optional<TrainingExample> example = TrainingExampleAssembler.assemble(group, labels, group.size(), Instant.now(),
        countingKeys);
    return example.orElseThrow();
  }
}
