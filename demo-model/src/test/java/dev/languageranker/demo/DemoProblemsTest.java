package dev.languageranker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The demo problem generator: verifiable references, and train and held-out problems that never overlap. */
class DemoProblemsTest {

  private final DemoProblemSource source = new DemoProblemSource();
  private final DemoAnswerChecker checker = new DemoAnswerChecker();

  @ParameterizedTest
  @EnumSource(DemoTask.class)
  void trainingProblemsNeverAppearInTheHeldOutSet(DemoTask task) {
    Set<String> heldOut = new HashSet<>();
    source.heldOut(task, 300, 5).forEach(p -> heldOut.add(p.user()));
    Random random = new Random(9);
    for (int i = 0; i < 20_000; i++) {
      assertFalse(heldOut.contains(source.nextTrain(task, random).user()));
    }
  }

  @ParameterizedTest
  @EnumSource(DemoTask.class)
  void everyTargetResponseIsCorrectForItsReference(DemoTask task) {
    Random random = new Random(3);
    for (int i = 0; i < 500; i++) {
      DemoProblem problem = source.nextTrain(task, random);
      assertTrue(checker.isCorrect(task, problem.targetResponse(), problem.reference()), problem.toString());
    }
  }

  @Test
  void mathReferenceIsTheResultOfTheWorkedSteps() {
    DemoProblem problem = new MathProblemGenerator().next(new Random(1));
    String[] lines = problem.targetResponse().split("\n");
    String lastEquation = lines[lines.length - 2];
    assertEquals(problem.reference(), lastEquation.substring(lastEquation.lastIndexOf('=') + 1).trim());
    // and each equation is true
    for (int i = 0; i < lines.length - 1; i++) {
      String[] sides = lines[i].split(" = ");
      String[] terms = sides[0].split(" ");
      long a = Long.parseLong(terms[0]);
      long b = Long.parseLong(terms[2]);
      long value = switch (terms[1]) {
        case "+" -> a + b;
        case "-" -> a - b;
        default -> a * b;
      };
      assertEquals(Long.parseLong(sides[1]), value, lines[i]);
    }
  }

  @Test
  void checkerReadsTheLastBoxedAnswerAndComparesCallsByValue() {
    assertTrue(checker.isCorrect(DemoTask.MATH, "2 + 3 = 5\n\\boxed{4} no, \\boxed{5}", "5"));
    assertFalse(checker.isCorrect(DemoTask.MATH, "The answer is 5", "5"));
    assertFalse(checker.isCorrect(DemoTask.MATH, "\\boxed{6}", "5"));
    String reference = "[{\"name\": \"set_timer\", \"arguments\": {\"minutes\": 5, \"label\": \"tea\"}}]";
    assertTrue(checker.isCorrect(DemoTask.FUNCTION,
        "[{\"arguments\": {\"label\": \"tea\", \"minutes\": 5.0}, \"name\": \"set_timer\"}]", reference));
    assertFalse(checker.isCorrect(DemoTask.FUNCTION,
        "[{\"name\": \"set_timer\", \"arguments\": {\"minutes\": 6, \"label\": \"tea\"}}]", reference));
    assertFalse(checker.isCorrect(DemoTask.FUNCTION, "set_timer(5, tea)", reference));
  }

  @Test
  void heldOutDrawIsTheSameForTheSameSeed() {
    List<DemoProblem> first = source.heldOut(DemoTask.MATH, 20, 77);
    assertEquals(first, source.heldOut(DemoTask.MATH, 20, 77));
  }
}
