package dev.languageranker.labeler;

import dev.languageranker.events.Candidate;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.LabeledCandidate;
import dev.languageranker.events.Task;
import dev.languageranker.events.TrainingExample;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.answers.AnswerKeyExtractor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins a request's candidates (features) with their latest outcomes (labels) into one {@link TrainingExample}.
 * Binary and real-valued labels do not mix in one loss: when a request has both, the type of its most recent
 * outcome wins and candidates labeled with the other type are left out.
 */
final class TrainingExampleAssembler {
  // The key the ranker service computes from the text at serving time, not the function-call verifier's (which may
  // normalize arguments with the reference's schemas): side features must be computed the same way in training and
  // serving.
  private static final AnswerKeyExtractor SERVING_KEYS = new AnswerKeyExtractor();
  private static final String MATH_VERIFIER = ReferenceVerifiers.verifierName(Task.MATH);

  /** Computes a response's serving-time answer key from its task's name and text. */
  @FunctionalInterface
  interface ServingKeys {
    Optional<String> keyOf(String task, String response);
  }

  private TrainingExampleAssembler() {}

  /** The example, or empty when no candidate has both features and a label. */
  static Optional<TrainingExample> assemble(List<Candidate> candidates, Map<Integer, VerificationOutcome> outcomes,
      int k, Instant now) {
    return assemble(candidates, outcomes, k, now, SERVING_KEYS::keyOf);
  }

  /** The example, keying answers the labeler's own math verdicts have not keyed with {@code servingKeys}. */
  static Optional<TrainingExample> assemble(List<Candidate> candidates, Map<Integer, VerificationOutcome> outcomes,
      int k, Instant now, ServingKeys servingKeys) {
    List<Candidate> labeled = candidates.stream().filter(c -> outcomes.containsKey(c.getIndex()))
        .sorted(Comparator.comparingInt(Candidate::getIndex)).toList();
    if (labeled.isEmpty()) {
      return Optional.empty();
    }
    LabelType type = outcomes.values().stream().max(Comparator.comparing(VerificationOutcome::getVerifiedAt))
        .orElseThrow().getLabelType();
    List<LabeledCandidate> items = new ArrayList<>();
    for (Candidate c : labeled) {
      VerificationOutcome o = outcomes.get(c.getIndex());
      if (o.getLabelType() != type) {
        continue;
      }
      items.add(LabeledCandidate.newBuilder()
          .setIndex(c.getIndex())
          .setResponse(c.getFeatures().getResponse())
          .setLabel(o.getScore())
          .setVerdict(o.getVerdict())
          .setAnswerKey(answerKey(c, o, servingKeys))
          .setLogProbMean(c.getLogProbMean())
          .setTokenCount(c.getTokenCount())
          .build());
    }
    Candidate first = labeled.get(0);
    return Optional.of(TrainingExample.newBuilder()
        .setRequestId(first.getRequestId())
        .setTask(first.getTask())
        .setRankerId(first.getRankerId())
        .setBaseModelId(first.getBaseModelId())
        .setLayer(first.getFeatures().getLayer())
        .setDim(first.getFeatures().getDim())
        .setDtype(first.getFeatures().getDtype())
        .setPooling(first.getFeatures().getPooling())
        .setInstruction(first.getFeatures().getInstruction())
        .setLabelType(type)
        .setCandidates(items)
        .setK(k)
        .setComplete(items.size() == k)
        .setCreatedAt(now)
        .build());
  }

  private static String answerKey(Candidate c, VerificationOutcome o, ServingKeys servingKeys) {
    // The labeler's math verdict already carries MathGrader's key of this text, the one the ranker service computes
    // (they part only when an answer takes longer to parse than a key may): keying it again here would parse every
    // answer twice, the second time on the stream thread.
    if (c.getTask() == Task.MATH && !o.getExternal() && MATH_VERIFIER.equals(o.getVerifier())) {
      return o.getAnswerKey();
    }
    return servingKeys.keyOf(c.getTask().name(), c.getText()).orElse(null);
  }
}
