package dev.languageranker.labeler.verify;

import java.util.Objects;

/**
 * The expected calls of a function-calling prompt.
 *
 * @param expectedCalls JSON of the expected calls, in BFCL ground-truth form or as plain calls
 * @param functions JSON of the function definitions (used to normalize argument types), or null
 */
public record FunctionCallReference(String expectedCalls, String functions) {
  public FunctionCallReference {
    Objects.requireNonNull(expectedCalls, "expectedCalls");
  }
}
