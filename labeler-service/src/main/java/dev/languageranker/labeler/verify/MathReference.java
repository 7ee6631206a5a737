package dev.languageranker.labeler.verify;

import java.util.Objects;

/**
 * The expected final answer of a math problem.
 *
 * @param answer the answer as LaTeX or a plain number; a full worked solution with a {@code \boxed{}} or {@code ####} answer is accepted too
 */
public record MathReference(String answer) {
  public MathReference {
    Objects.requireNonNull(answer, "answer");
  }
}
