package dev.languageranker.labeler.verify;

/**
 * A BFCL problem.
 *
 * @param id BFCL's id, such as {@code parallel_12}
 * @param functions JSON of the function definitions
 * @param groundTruth JSON of the ground truth: a list of calls with accepted values per argument
 */
public record FunctionCallProblem(String id, String functions, String groundTruth) {
  public FunctionCallReference reference() {
    return new FunctionCallReference(groundTruth, functions);
  }
}
