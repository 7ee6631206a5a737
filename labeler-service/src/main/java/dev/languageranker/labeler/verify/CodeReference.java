package dev.languageranker.labeler.verify;

import java.util.List;

/**
 * The tests a code candidate must pass.
 *
 * @param tests Python assert statements (MBPP {@code test_list})
 * @param setup Python run after the candidate's code and before the tests (MBPP {@code test_setup_code}, whose
 *     fixtures use the candidate's classes); may be empty
 */
public record CodeReference(List<String> tests, String setup) {
  public CodeReference {
    tests = List.copyOf(tests);
    setup = setup == null ? "" : setup;
    if (tests.isEmpty()) {
      throw new IllegalArgumentException("a code reference needs at least one test");
    }
  }
}
