package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifiers against the shared real data: every reference solution verifies against its own reference and not
 * against another problem's. Math and BFCL are swept in full (pure Java, about a second each); MBPP runs a fixed
 * sample of every 10th problem (plus the two with test setup code) here; the full MBPP sweep is {@code language-ranker verify-datasets}.
 */
class ReferenceDataAgreementTest {

  private static ReferenceDataSets data;
  private final ReferenceAgreement agreement = new ReferenceAgreement();

  @BeforeAll
  static void locateData() {
    String dir = System.getProperty("lr.shared.data", "../shared/data");
    data = new ReferenceDataSets(Path.of(dir));
    assumeTrue(data.available(), "shared data sets not found in " + Path.of(dir).toAbsolutePath()
        + " (set -Dlr.shared.data): real-data checks skipped");
  }

  @Test
  void everyGsm8kSolutionMatchesItsOwnAnswerAndNoOtherAnswer() {
    AgreementReport report = agreement.math("gsm8k", data.gsm8k());

    assertEquals(7473, report.problems());
    assertEquals(report.problems(), report.ownAgreed(), () -> "own misses: " + report.ownMisses());
    assertEquals(report.problems(), report.otherAgreed(), () -> "other misses: " + report.otherMisses());
  }

  @Test
  void everyMathSolutionMatchesItsOwnAnswerAndAlmostNoDifferentlyWrittenAnswer() {
    AgreementReport report = agreement.math("math", data.math());

    assertEquals(4500, report.problems());
    assertEquals(report.problems(), report.ownAgreed(), () -> "own misses: " + report.ownMisses());
    // The "other" answer is the next one written differently; a few are the same value in another form
    // (\frac34 vs \frac{3}{4}, 120 vs 120^\circ, x = -1 vs -1), which must count as equal.
    assertTrue(report.otherRate() >= 0.999, () -> "other misses: " + report.otherMisses());
  }

  @Test
  void everyBfclGroundTruthMatchesItselfAndNoPerturbedCall() {
    for (String category : ReferenceDataSets.BFCL_CATEGORIES) {
      List<FunctionCallProblem> problems = data.bfcl(category);
      AgreementReport report = agreement.functionCalls("bfcl_" + category, problems);

      assertTrue(report.problems() >= 200, category + " has " + report.problems() + " problems");
      assertEquals(report.problems(), report.ownAgreed(), () -> category + " own misses: " + report.ownMisses());
      assertEquals(report.problems(), report.otherAgreed(),
          () -> category + " perturbed misses: " + report.otherMisses());
    }
  }

  @Test
  void sampledMbppSolutionsPassTheirOwnTestsAndFailTheNextProblems() {
    List<CodeProblem> all = data.mbpp();
    List<CodeProblem> sample = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      // Every 10th problem, plus the two with test setup code (tasks 367 and 927), whose fixtures use the solution's classes.
      if (i % 10 == 0 || !all.get(i).setup().isBlank()) {
        sample.add(all.get(i));
      }
    }
    CodeVerifier verifier = new CodeVerifier(PythonSandbox.probed(SandboxSettings.defaults()));

    AgreementReport report = agreement.code(sample, verifier, 2);

    assertEquals(100, report.problems());
    assertEquals(report.problems(), report.ownAgreed(), () -> "own misses: " + report.ownMisses());
    assertEquals(report.problems(), report.otherAgreed(), () -> "other misses: " + report.otherMisses());
  }
}
