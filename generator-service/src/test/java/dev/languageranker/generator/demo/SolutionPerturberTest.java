package dev.languageranker.generator.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flawed solutions differ from the worked one, mostly keep the answer format, and are wrong most of the time. */
class SolutionPerturberTest {

  private final DemoProblemSource source = new DemoProblemSource();
  private final DemoAnswerChecker checker = new DemoAnswerChecker();
  private final SolutionPerturber perturber = new SolutionPerturber();

  @ParameterizedTest
  @EnumSource(DemoTask.class)
  void flawedSolutionsAreMostlyWrongAndVaried(DemoTask task) {
    Random random = new Random(11);
    int wrong = 0;
    int answered = 0;
    int changed = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      DemoProblem problem = source.nextTrain(task, random);
      String flawed = perturber.perturb(problem, random);
      changed += flawed.equals(problem.targetResponse()) ? 0 : 1;
      wrong += checker.isCorrect(task, flawed, problem.reference()) ? 0 : 1;
      answered += checker.extractAnswer(task, flawed).isPresent() ? 1 : 0;
      if (i < 8) {
        System.out.println(problem.targetResponse() + "\n  ->\n" + flawed + "\n");
      }
    }
    assertTrue(wrong > 0.85 * n, wrong + " of " + n + " wrong");
    // most keep the answer format (a few are cut short, as a model's overlong answer is)
    assertTrue(answered > 0.85 * n, answered + " of " + n + " have an answer");
    assertTrue(changed > 0.95 * n, changed + " of " + n + " differ from the worked solution");
  }
}
