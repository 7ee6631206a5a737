package dev.languageranker.labeler.verify;

import java.util.Objects;

/**
 * The expected final answer of a math problem.
 *
 * @param answer the answer as LaTeX or a plain number; a full worked solution with a {@code \boxed{}} or {@code ####} answer is accepted too
 * @param question the question as asked, or null: its wording may fix the order of a bare list answer
 */
public record MathReference(String answer, String question) {
  public MathReference {
    Objects.requireNonNull(answer, "answer");
  }

  /** A reference without its question: a bare list answer compares as a set. */
  public MathReference(String answer) {
    this(answer, null);
  }
}
