package dev.languageranker.labeler.verify;

import dev.languageranker.answers.MathGrader;
import java.time.Duration;

/**
 * Verifies a math response's final answer against the expected answer with {@link MathGrader}: symbolic and numeric
 * equivalence, relations, sets, intervals and matrices, within a time limit per verdict. The verdict's detail names
 * where the answer was found and the rule that decided.
 */
public final class MathAnswerVerifier implements Verifier<MathReference> {

  private final MathGrader grader;

  /** A verifier with the default relative tolerance (1e-6) and CPU-time limit (1 s). */
  public MathAnswerVerifier() {
    this(new MathGrader());
  }

  /** A verifier with {@code relativeTolerance} for numbers written with a decimal point, and {@code timeLimit} per verdict. */
  public MathAnswerVerifier(double relativeTolerance, Duration timeLimit) {
    this(new MathGrader(relativeTolerance, timeLimit));
  }

  /** As above; {@code roundedDecimals} lets a decimal equal the exact value it rounds ({@code 0.67} = {@code 2/3}). */
  public MathAnswerVerifier(double relativeTolerance, Duration timeLimit, boolean roundedDecimals) {
    this(new MathGrader(relativeTolerance, timeLimit, roundedDecimals));
  }

  private MathAnswerVerifier(MathGrader grader) {
    this.grader = grader;
  }

  @Override
  public Verification verify(String response, MathReference reference) {
    MathGrader.Grade grade = grader.grade(response, reference.answer(), reference.question());
    Verdict verdict = switch (grade.outcome()) {
      case EQUAL -> Verdict.CORRECT;
      case DIFFERENT -> Verdict.INCORRECT;
      case UNPARSEABLE -> Verdict.UNPARSEABLE;
    };
    return Verification.of(verdict, grade.key(), grade.detail());
  }
}
