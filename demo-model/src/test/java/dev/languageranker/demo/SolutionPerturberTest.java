package dev.languageranker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

  @Test
  void theHabitualMathMistakeReadsTheFirstTakingAwayAsAddingAndCarriesItOn() {
    DemoProblem problem = new DemoProblem(DemoTask.MATH, MathProblemGenerator.SYSTEM, "(question)",
        "36 - 16 = 20\n20 - 12 = 8\n2 * 9 = 18\n8 + 18 = 26\nThe answer is \\boxed{26}", "26");
    assertEquals(Optional.of("36 + 16 = 52\n52 - 12 = 40\n2 * 9 = 18\n40 + 18 = 58\nThe answer is \\boxed{58}"),
        perturber.habitualMistake(problem));
    DemoProblem onlyAdding = new DemoProblem(DemoTask.MATH, MathProblemGenerator.SYSTEM, "(question)",
        "5 + 3 = 8\nThe answer is \\boxed{8}", "8");
    assertEquals(Optional.empty(), perturber.habitualMistake(onlyAdding));
  }

  @Test
  void theHabitualCallMistakeFallsBackToFahrenheitOrDollarsInTheFirstCallThatAsksForSomethingElse() {
    String timerThenWeather = "[{\"name\": \"set_timer\", \"arguments\": {\"minutes\": 5, \"label\": \"tea\"}},"
        + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\", \"unit\": \"celsius\"}}]";
    assertEquals(Optional.of(timerThenWeather.replace("celsius", "fahrenheit")), habitOf(timerThenWeather));
    String conversion = "[{\"name\": \"convert_currency\", \"arguments\": {\"amount\": 7, \"source\": \"JPY\", "
        + "\"target\": \"EUR\"}}]";
    assertEquals(Optional.of(conversion.replace("EUR", "USD")), habitOf(conversion));
    // already the default: nothing to fall back from
    assertEquals(Optional.empty(), habitOf(timerThenWeather.replace("celsius", "fahrenheit")));
    assertEquals(Optional.empty(), habitOf(conversion.replace("EUR", "USD")));
  }

  private Optional<String> habitOf(String calls) {
    return perturber.habitualMistake(
        new DemoProblem(DemoTask.FUNCTION, FunctionCallProblemGenerator.SYSTEM, "(request)", calls, calls));
  }

  /** Most problems have a place for the habit, and the habit always makes the answer wrong there. */
  @ParameterizedTest
  @EnumSource(DemoTask.class)
  void theHabitualMistakeIsWrongWhereverItApplies(DemoTask task) {
    Random random = new Random(5);
    int applies = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      DemoProblem problem = source.nextTrain(task, random);
      Optional<String> habit = perturber.habitualMistake(problem);
      if (habit.isPresent()) {
        applies++;
        // a loss of 0 read as adding 0 changes nothing, so it is the one way the habit can be harmless
        assertTrue(!checker.isCorrect(task, habit.get(), problem.reference()) || habit.get().contains(" + 0 = "),
            problem.targetResponse() + " -> " + habit.get());
      }
    }
    assertTrue(applies > (task == DemoTask.MATH ? 0.75 : 0.35) * n, applies + " of " + n + " have a place for it");
  }
}
