package dev.languageranker.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.answers.MathGrader.Grade;
import dev.languageranker.answers.MathGrader.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The answer forms of issue 28, one nested class per category: equal forms, and near misses that must stay unequal. */
class MathGraderAnswerFormsTest {

  private static final MathGrader GRADER = new MathGrader();

  private static Grade boxed(String answer, String reference) {
    return GRADER.grade("Working it through, we get $\\boxed{" + answer + "}$.", reference);
  }

  private static void assertEqual(String answer, String reference) {
    Grade g = boxed(answer, reference);
    assertEquals(Outcome.EQUAL, g.outcome(), answer + " vs " + reference + ": " + g.detail());
  }

  private static void assertDifferent(String answer, String reference) {
    Grade g = boxed(answer, reference);
    assertEquals(Outcome.DIFFERENT, g.outcome(), answer + " vs " + reference + ": " + g.detail());
  }

  @Nested
  class DecimalCommas {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', textBlock = """
        2,75        ; 2.75
        0,5         ; \\frac{1}{2}
        -3,25       ; -3.25
        3,14159     ; 3.14159
        2,75        ; \\frac{11}{4}
        2,75        ; 2, 75
        3,5         ; \\{3, 5\\}
        3,5         ; (3, 5)
        """)
    void aLoneCommaIsADecimalPointAgainstOneNumberAndASeparatorOtherwise(String answer, String reference) {
      assertEqual(answer, reference);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ';', textBlock = """
        2,75        ; 2.57
        2,75        ; 27.5
        2, 75       ; 2.75
        3.5         ; 3, 5
        3,5         ; (5, 3)
        1,250       ; 1.25
        """)
    void nearMisses(String answer, String reference) {
      assertDifferent(answer, reference);
    }
  }

  @Nested
  class ProseInsideTheBox {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', textBlock = """
        The result is \\( 14 \\)                 ; 14
        So $y \\leq -1$ holds.                   ; y \\le -1
        Hence $t \\neq 2$.                       ; t \\ne 2
        \\text{The answer is } 7                 ; 7
        We conclude that $x = \\frac{3}{4}$      ; \\frac34
        There are \\(12\\) ways                  ; 12
        """)
    void theMathematicsIsTakenOutOfTheWords(String answer, String reference) {
      assertEqual(answer, reference);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ';', textBlock = """
        The result is \\( 15 \\)                 ; 14
        So $y \\geq -1$ holds.                   ; y \\le -1
        Hence $t = 2$.                           ; t \\ne 2
        \\text{The answer is } 7                 ; 8
        There are \\(12\\) ways                  ; 21
        """)
    void nearMisses(String answer, String reference) {
      assertDifferent(answer, reference);
    }

    @Test
    void wordAnswersUnitsAndLabelsAroundMathAreNotProse() {
      assertEqual("\\text{circle}", "\\text{Circle}");
      assertDifferent("\\text{ellipse}", "\\text{circle}");
      assertEqual("\\text{no solution}", "\\text{No Solution}");
      assertEqual("12 \\text{ cm}^2", "12");
      assertEqual("x = $5$", "5");
      assertEquals(null, MathGrader.mathOfProse("x = $5$"));
      assertEquals(null, MathGrader.mathOfProse("\\$5 and \\$6"));
      assertEquals("y \\leq -1", MathGrader.mathOfProse("So $y \\leq -1$ holds."));
    }

    @Test
    void theMajorityVoteKeyIsTheKeyOfTheMath() {
      assertEquals(GRADER.key("\\boxed{14}"), GRADER.key("\\boxed{The result is \\( 14 \\)}"));
      assertEquals(GRADER.key("\\boxed{7}"), GRADER.key("\\boxed{\\text{The answer is } 7}"));
    }
  }

  @Nested
  class RelationsAgainstIntervals {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', textBlock = """
        1 \\le t \\le 4                 ; t \\in [1, 4]
        1 \\le t \\le 4                 ; [1, 4]
        y > 2                           ; (2, \\infty)
        y \\geq 2                       ; [2, \\infty)
        -3 < x < 0                      ; (-3, 0)
        n = 3\\cdot 4 + 2 = 14          ; 14
        x = 2 + 3 = 5                   ; 5
        3 \\cdot 4 + 2 = 14             ; 14
        """)
    void aBoundIsAnIntervalAndAChainEndsInItsValue(String answer, String reference) {
      assertEqual(answer, reference);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ';', textBlock = """
        1 < t \\le 4                    ; t \\in [1, 4]
        1 \\le t \\le 5                 ; [1, 4]
        y \\geq 2                       ; (2, \\infty)
        y > 2                           ; (-\\infty, 2)
        n = 3\\cdot 4 + 2 = 14          ; 12
        n = 3\\cdot 4 + 2 = 15          ; 15
        2x = 6                          ; 6
        """)
    void nearMisses(String answer, String reference) {
      assertDifferent(answer, reference);
    }
  }

  @Nested
  class LabelledAnswers {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', textBlock = """
        PQ=6, RS=2                      ; 6, 2
        PQ = 6 \\text{ and } RS = 2     ; (6, 2)
        |PQ| = 3                        ; 3
        P:Q = 3                         ; 3
        V_a : V_b = 5 : 12              ; 5:12
        AB = \\sqrt{2}                  ; \\sqrt2
        10:24                           ; 5:12
        5:12                            ; \\frac{5}{12}
        3 : 1                           ; 3:1
        """)
    void theLabelIsDroppedAndARatioIsAValue(String answer, String reference) {
      assertEqual(answer, reference);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ';', textBlock = """
        PQ=6, RS=2                      ; 6, 3
        |PQ| = 4                        ; 3
        P:Q = 3                         ; 1:3
        V_a : V_b = 12 : 5              ; 5:12
        5:12                            ; 12:5
        5:12                            ; 5, 12
        """)
    void nearMisses(String answer, String reference) {
      assertDifferent(answer, reference);
    }
  }

  @Nested
  class SeveralBoxes {
    private Grade grade(String response, String reference) {
      return GRADER.grade(response, reference);
    }

    @Test
    void eachBoxedPartOfASetAnswer() {
      Grade g = grade("The solutions are $\\boxed{2}$ and $\\boxed{5}$.", "{2, 5}");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      g = grade("The solutions are $\\boxed{5}$ and $\\boxed{2}$.", "\\{2, 5\\}");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      g = grade("First $\\boxed{x = 2}$, then $\\boxed{x = 5}$.", "2, 5");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
    }

    @Test
    void nearMisses() {
      assertEquals(Outcome.DIFFERENT, grade("$\\boxed{2}$ and $\\boxed{6}$", "{2, 5}").outcome());
      assertEquals(Outcome.DIFFERENT, grade("$\\boxed{2}$, $\\boxed{5}$ and $\\boxed{7}$", "{2, 5}").outcome());
      assertEquals(Outcome.DIFFERENT, grade("only $\\boxed{5}$", "{2, 5}").outcome());
      // an ordered pair keeps its order across boxes
      assertEquals(Outcome.DIFFERENT, grade("$\\boxed{5}$ and $\\boxed{2}$", "(2, 5)").outcome());
    }
  }

  @Nested
  class RoundedDecimals {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', textBlock = """
        0.67                            ; \\frac{2}{3}
        0.667                           ; \\frac{2}{3}
        -0.67                           ; -\\frac{2}{3}
        1.4286                          ; \\frac{10}{7}
        [0.25, 1.4286)                  ; [\\frac14, \\frac{10}{7})
        3.14                            ; \\pi
        1.41                            ; \\sqrt{2}
        """)
    void aDecimalEqualsTheExactValueRoundedToItsDigits(String answer, String reference) {
      assertEqual(answer, reference);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ';', textBlock = """
        0.66                            ; \\frac{2}{3}
        0.6666                          ; \\frac{2}{3}
        0.7                             ; \\frac{2}{3}
        0.1                             ; \\frac19
        1.4285                          ; \\frac{10}{7}
        [0.25, 1.4286]                  ; [\\frac14, \\frac{10}{7})
        3.15                            ; \\pi
        0.45                            ; 45
        0.14                            ; \\frac17
        \\frac{2}{3}                    ; 0.67
        0.33                            ; \\frac13
        0.11                            ; \\frac19
        """)
    void nearMisses(String answer, String reference) {
      assertDifferent(answer, reference);
    }

    @Test
    void theRuleIsASettingOnByDefault() {
      MathGrader strict = new MathGrader(MathGrader.DEFAULT_RELATIVE_TOLERANCE, Duration.ofSeconds(1), false);
      Grade g = strict.grade("\\boxed{0.67}", "\\frac{2}{3}");
      assertEquals(Outcome.DIFFERENT, g.outcome(), g.detail());
      g = GRADER.grade("\\boxed{0.67}", "\\frac{2}{3}");
      assertTrue(g.detail().contains("rounded"), g.detail());
    }
  }

  @Nested
  class Notation {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', textBlock = """
        \\mathrm{e}^{2}                 ; e^2
        2\\mathrm{e}                    ; 2e
        \\tfrac{3}{4}                   ; 0.75
        1\\!234                         ; 1234
        \\\\dfrac{1}{2}                 ; \\frac12
        \\\\frac{\\\\sqrt{3}}{2}        ; \\frac{\\sqrt3}{2}
        \\frac{2}{3} \\approx 0.67      ; \\frac23
        x \\approx 0.67                 ; \\frac23
        \\sqrt{2} \\approx 1.414        ; \\sqrt2
        """)
    void notationIsRead(String answer, String reference) {
      assertEqual(answer, reference);
    }

    @ParameterizedTest(name = "{0} != {1}")
    @CsvSource(delimiter = ';', textBlock = """
        \\mathrm{e}^{3}                 ; e^2
        \\\\dfrac{1}{3}                 ; \\frac12
        \\frac{2}{3} \\approx 0.66      ; \\frac23
        \\sqrt{2} \\approx 1.41         ; \\sqrt3
        """)
    void nearMisses(String answer, String reference) {
      assertDifferent(answer, reference);
    }

    @Test
    void anUnknownMacroInTheReferenceIsReportedAsSuch() {
      Grade g = boxed("5", "\\weirdmacro{5}");
      assertEquals(Outcome.DIFFERENT, g.outcome(), g.detail());
      assertTrue(g.detail().contains("reference not parsed (unknown LaTeX command \\weirdmacro)"), g.detail());
    }
  }

  @Nested
  class OrderedLists {
    @Test
    void anOrderedTupleReferenceKeepsItsOrder() {
      assertDifferent("7, 1, -3", "(1, 7, -3)");
      assertDifferent("(7, 1, -3)", "(1, 7, -3)");
      assertEqual("1, 7, -3", "(1, 7, -3)");
    }

    @Test
    void aListWhoseOrderTheQuestionFixesKeepsItsOrder() {
      String question = "Find a, b and c, in that order.";
      Grade g = GRADER.grade("\\boxed{7, 1, -3}", "1, 7, -3", question);
      assertEquals(Outcome.DIFFERENT, g.outcome(), g.detail());
      g = GRADER.grade("\\boxed{1, 7, -3}", "1, 7, -3", question);
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      g = GRADER.grade("\\boxed{-3, 1, 7}", "-3, 1, 7", "List the roots in increasing order.");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      g = GRADER.grade("\\boxed{7, 1, -3}", "-3, 1, 7", "List the roots in increasing order.");
      assertEquals(Outcome.DIFFERENT, g.outcome(), g.detail());
    }

    @Test
    void aSetAgainstAnOrderedTupleDiffers() {
      assertDifferent("\\{1, 7, -3\\}", "(1, 7, -3)");
      Grade g = GRADER.grade("\\boxed{(1, 7, -3)}", "1, 7, -3", "Find the ordered triple (a, b, c).");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      g = GRADER.grade("\\boxed{(7, 1, -3)}", "1, 7, -3", "Find the ordered triple (a, b, c).");
      assertEquals(Outcome.DIFFERENT, g.outcome(), g.detail());
    }

    @Test
    void aSetAnswerComparesAsASet() {
      assertEqual("7, 1, -3", "\\{1, 7, -3\\}");
      assertEqual("\\{7, 1, -3\\}", "1, 7, -3");
      Grade g = GRADER.grade("\\boxed{7, 1, -3}", "1, 7, -3", "Find all solutions, separated by commas.");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      // braces make a set even when the question speaks of order
      g = GRADER.grade("\\boxed{7, 1, -3}", "\\{1, 7, -3\\}", "Enter them in increasing order.");
      assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
      assertDifferent("7, 1, 3", "\\{1, 7, -3\\}");
      assertDifferent("7, 1", "\\{1, 7, -3\\}");
    }
  }
}
