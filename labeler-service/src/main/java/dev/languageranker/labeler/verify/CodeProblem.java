package dev.languageranker.labeler.verify;

import java.util.List;

/**
 * An MBPP problem.
 *
 * @param taskId MBPP's task id
 * @param code the reference solution
 * @param tests the assert statements
 * @param setup code the tests assume ran first
 */
public record CodeProblem(int taskId, String code, List<String> tests, String setup) {
  public CodeProblem {
    tests = List.copyOf(tests);
  }

  public CodeReference reference() {
    return new CodeReference(tests, setup);
  }
}
