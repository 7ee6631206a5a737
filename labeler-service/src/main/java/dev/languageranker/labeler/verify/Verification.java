package dev.languageranker.labeler.verify;

import java.util.Objects;

/**
 * The outcome of verifying one response.
 *
 * @param verdict the judgement
 * @param score the binary label: 1 for a positive verdict, 0 otherwise
 * @param answerKey the response's extracted, normalized answer for majority vote; null when none was found
 * @param detail what a human needs to understand the verdict (the failing assert, the extracted answer)
 */
public record Verification(Verdict verdict, double score, String answerKey, String detail) {

  public Verification {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(detail, "detail");
  }

  /** A verification whose score follows from its verdict. */
  public static Verification of(Verdict verdict, String answerKey, String detail) {
    return new Verification(verdict, verdict.isPositive() ? 1.0 : 0.0, answerKey, detail);
  }
}
