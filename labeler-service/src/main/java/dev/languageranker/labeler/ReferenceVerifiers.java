package dev.languageranker.labeler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.events.LabelType;
import dev.languageranker.events.Reference;
import dev.languageranker.events.Task;
import dev.languageranker.events.VerificationOutcome;
import dev.languageranker.labeler.verify.CodeReference;
import dev.languageranker.labeler.verify.ExpectedCallsParser;
import dev.languageranker.labeler.verify.FunctionCallReference;
import dev.languageranker.labeler.verify.MathReference;
import dev.languageranker.labeler.verify.TaskVerifiers;
import dev.languageranker.labeler.verify.Verification;
import dev.languageranker.labeler.verify.VerificationRequest;
import dev.languageranker.labeler.verify.VerifyTask;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Checks that a {@link Reference} is usable, and verifies a candidate's text against it with the verifier of the
 * reference's task. Thread-safe: verification runs on worker threads.
 */
public final class ReferenceVerifiers {
  private final TaskVerifiers verifiers;
  private final ExpectedCallsParser expectedCalls = new ExpectedCallsParser(new ObjectMapper());
  private final Clock clock;

  public ReferenceVerifiers(TaskVerifiers verifiers, Clock clock) {
    this.verifiers = verifiers;
    this.clock = clock;
  }

  /** Why {@code reference} cannot be used to verify candidates, or empty when it can. */
  public Optional<String> problemWith(Reference reference) {
    if (reference.getRequestId() == null || reference.getRequestId().isBlank()) {
      return Optional.of("reference without a requestId");
    }
    return switch (reference.getTask()) {
      case MATH -> blank(reference.getAnswer()) ? Optional.of("MATH reference without an answer") : Optional.empty();
      case CODE -> reference.getTests().isEmpty() ? Optional.of("CODE reference without tests") : Optional.empty();
      case FUNCTION_CALL -> {
        if (blank(reference.getExpectedCalls())) {
          yield Optional.of("FUNCTION_CALL reference without expectedCalls");
        }
        try {
          expectedCalls.parse(reference.getExpectedCalls());
          yield Optional.empty();
        } catch (IllegalArgumentException e) {
          yield Optional.of("FUNCTION_CALL reference: " + e.getMessage());
        }
      }
      case GENERAL ->
        Optional.of("GENERAL tasks have no verifier; publish VerificationOutcomes (judge scores, feedback) instead");
      default -> Optional.of("reference with unknown task " + reference.getTask());
    };
  }

  /** Verifies one candidate; {@code reference} must have passed {@link #problemWith}. */
  public VerificationOutcome verify(String requestId, int index, String text, Reference reference) {
    long started = System.nanoTime();
    Task task = reference.getTask();
    Verification v = verifiers.verify(switch (task) {
      case MATH -> new VerificationRequest(VerifyTask.MATH, text,
          new MathReference(reference.getAnswer(), reference.getQuestion()));
      case CODE -> new VerificationRequest(VerifyTask.CODE, text,
          new CodeReference(reference.getTests(), reference.getTestSetup()));
      case FUNCTION_CALL -> new VerificationRequest(VerifyTask.FUNCTION, text,
          new FunctionCallReference(reference.getExpectedCalls(), reference.getFunctions()));
      default -> throw new IllegalArgumentException("no verifier for task " + task);
    });
    return VerificationOutcome.newBuilder()
        .setRequestId(requestId)
        .setCandidateIndex(index)
        .setVerdict(dev.languageranker.events.Verdict.valueOf(v.verdict().name()))
        .setLabelType(LabelType.BINARY)
        .setScore(v.score())
        .setVerifier(verifierName(task))
        .setAnswerKey(v.answerKey())
        .setDetail(v.detail())
        .setExternal(false)
        .setDurationMs((System.nanoTime() - started) / 1_000_000)
        .setVerifiedAt(Instant.now(clock))
        .build();
  }

  /** The name outcomes carry in their {@code verifier} field. */
  public static String verifierName(Task task) {
    return switch (task) {
      case MATH -> "math";
      case CODE -> "code";
      case FUNCTION_CALL -> "function";
      default -> task.name().toLowerCase();
    };
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
