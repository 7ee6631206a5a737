package dev.languageranker.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.answers.MathGrader.Grade;
import dev.languageranker.answers.MathGrader.Outcome;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each category of the math grader, from hand-written examples: equal answers written differently, and near misses. */
class MathGraderTest {

  private final MathGrader grader = new MathGrader();

  private Grade boxed(String answer, String reference) {
    return grader.grade("so the answer is $\\boxed{" + answer + "}$", reference);
  }

  private void assertEqual(String answer, String reference) {
    Grade g = boxed(answer, reference);
    assertEquals(Outcome.EQUAL, g.outcome(), answer + " vs " + reference + ": " + g.detail());
  }

  private void assertDifferent(String answer, String reference) {
    Grade g = boxed(answer, reference);
    assertEquals(Outcome.DIFFERENT, g.outcome(), answer + " vs " + reference + ": " + g.detail());
  }

  @ParameterizedTest(name = "number {0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      12,75                   | 12.75
      1,250                   | 1250
      1,250.5                 | 1250.5
      1\\,000\\,000           | 10^6
      1.5e3                   | 1500
      2.5E-2                  | 0.025
      1.5 \\times 10^{3}      | 1500
      3 \\cdot 10^{-2}        | 0.03
      45\\%                   | 45
      45 percent              | 45\\%
      45 pct                  | 45\\%
      0.45                    | 45\\%
      \\frac{1}{7}            | 0.142857143
      0.3333333               | \\frac13
      -0.75                   | -\\frac{3}{4}
      .5                      | \\frac12
      3\\frac18               | \\frac{25}{8}
      -2\\frac{1}{4}          | -2.25
      """)
  void numbersWrittenDifferentlyAreEqual(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @ParameterizedTest(name = "number {0} != {1}")
  @CsvSource(delimiter = '|', textBlock = """
      1,250          | 1.25
      0.14           | \\frac17
      0.33           | \\frac13
      0.45           | 45
      45             | 0.45
      1.5e3          | 150
      4.5\\%         | 45\\%
      """)
  void nearMissNumbersDiffer(String answer, String reference) {
    assertDifferent(answer, reference);
  }

  @Test
  void aRoundedDecimalMatchesOnlyWithALooserTolerance() {
    MathGrader loose = new MathGrader(0.02, Duration.ofMillis(200));

    assertEquals(Outcome.DIFFERENT, grader.grade("\\boxed{0.14}", "\\frac{1}{7}").outcome());
    Grade g = loose.grade("\\boxed{0.14}", "\\frac{1}{7}");
    assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
    assertTrue(g.detail().contains("tolerance"), g.detail());
  }

  @ParameterizedTest(name = "matrix {0} = {1}")
  @CsvSource(delimiter = '|',
      textBlock = """
          \\begin{pmatrix} 1 & 0.5 \\\\ \\frac{1}{3} & 2 \\end{pmatrix}  | \\begin{bmatrix} 1 & \\frac12 \\\\ 0.333333333 & 2 \\end{bmatrix}
          \\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}                 | (1, -2, 3)
          \\left( \\frac{1}{2}, \\frac{\\sqrt{7}}{2} \\right)              | (0.5, \\sqrt{7}/2)
          """)
  void matricesAndVectorsCompareElementWise(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @Test
  void matricesThatDifferInOneEntryOrShapeDiffer() {
    assertDifferent("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
        "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}");
    assertDifferent("\\begin{pmatrix} 1 & 2 & 3 & 4 \\end{pmatrix}",
        "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}");
    assertDifferent("(1, 3, -2)", "\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}");
  }

  @ParameterizedTest(name = "expression {0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      \\frac{a+b}{3}                 | \\frac{a}{3}+\\frac{b}{3}
      (x+1)^2                        | x^2+2x+1
      \\sin^2 t+\\cos^2 t            | 1
      c + b + a                      | a+b+c
      y x z                          | x \\cdot z \\cdot y
      \\sqrt{3} + \\sqrt{2}          | \\sqrt2+\\sqrt3
      2\\sqrt{3}                     | \\sqrt{12}
      \\frac{\\sqrt{6}}{3}           | \\frac{2}{\\sqrt{6}}
      3x^2 - 7x + 4                  | (3x-4)(x-1)
      \\frac{x^2-1}{x-1}             | x+1
      e^{2\\ln x}                    | x^2
      \\log_2 8                      | 3
      2\\pi r                        | r \\cdot 2 \\pi
      \\tan\\theta                   | \\frac{\\sin\\theta}{\\cos\\theta}
      \\lvert x - 3 \\rvert          | \\left\\lvert 3 - x \\right\\rvert
      \\binom{5}{2}                  | 10
      4!                             | 24
      \\dfrac{3}{4}\\pi              | 0.75\\pi
      \\sin 30^\\circ                | \\frac12
      \\cos 60^{\\circ}              | \\sin 30^\\circ
      \\sqrt[3]{54}                  | 3\\sqrt[3]{2}
      \\frac{1}{\\sqrt{2}}           | \\frac{\\sqrt2}{2}
      """)
  void symbolicallyEqualExpressionsAreEqual(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @ParameterizedTest(name = "expression {0} != {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2 - \\sqrt{3}                  | 2 + \\sqrt{3}
      x^2+2x+1                       | x^2+2x-1
      (x+1)^2                        | x^2+1
      \\sqrt{2}                      | 1.414
      \\pi                           | 3.1416
      \\sin^2 t                      | \\cos^2 t
      a - b                          | b - a
      x^{10}                         | x^{11}
      \\frac{1}{3} + \\frac{1}{3^{40}} | \\frac{1}{3}
      """)
  void nearMissExpressionsDiffer(String answer, String reference) {
    assertDifferent(answer, reference);
  }

  @Test
  void randomPolynomialsEqualOnlyWhenTheyAreTheSamePolynomial() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < 60; i++) {
      int a = random.nextInt(-9, 10);
      int b = random.nextInt(-9, 10);
      int c = random.nextInt(-9, 10);
      String factored = "(x " + sign(a) + ")(x " + sign(b) + ") + " + c;
      String expanded = "x^2 + " + (a + b) + "x + " + (a * b + c);
      String nearMiss = "x^2 + " + (a + b) + "x + " + (a * b + c + 1);
      String reordered = (a * b + c) + " + x \\cdot " + (a + b) + " + x^2";

      assertEqual(factored, expanded);
      assertEqual(reordered, expanded);
      assertDifferent(factored, nearMiss);
    }
  }

  private static String sign(int n) {
    return n < 0 ? "- " + (-n) : "+ " + n;
  }

  @Test
  void symbolicDetailNamesTheRule() {
    Grade g = boxed("(x+1)^2", "x^2+2x+1");

    assertTrue(g.detail().contains("symbolic: difference is 0"), g.detail());
    assertTrue(g.detail().contains("exact rational arithmetic"), g.detail());
    assertTrue(boxed("2\\sqrt{3}", "\\sqrt{12}").detail().contains("significant digits"));
    assertTrue(boxed("0.5", "\\frac12").detail().contains("numeric: equal exact values (1/2)"));
  }

  @ParameterizedTest(name = "relation {0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      y \\leq 4                      | y <= 4
      4 \\geq y                      | y \\le 4
      x \\lt 2                       | x < 2
      x \\gt 2                       | 2 < x
      x \\neq 1                      | x != 1
      0 < t \\le 3                   | t \\in (0, 3]
      (0, 3]                         | 0 < t \\le 3
      3 \\ge t > 0                   | 0 < t \\leq 3
      x > 5                          | (5, \\infty)
      x \\le -1                      | (-\\infty, -1]
      3x-6y+9=0                      | y=\\frac{x}{2}+\\frac32
      2x + 4 = 0                     | x = -2
      x^2 + y^2 = 1                  | 2x^2 + 2y^2 - 2 = 0
      2y \\le 8                      | y \\le 4
      x \\neq 1                      | (-\\infty, 1) \\cup (1, \\infty)
      """)
  void relationsEqualUpToSidesAndFactorAreEqual(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @ParameterizedTest(name = "relation {0} != {1}")
  @CsvSource(delimiter = '|', textBlock = """
      y < 4                          | y \\le 4
      y \\ge 4                       | y \\le 4
      -y \\le 4                      | y \\le 4
      0 < t < 3                      | t \\in (0, 3]
      [0, 3]                         | (0, 3]
      x > 5                          | [5, \\infty)
      3x-6y+9=0                      | y=\\frac{x}{2}+\\frac52
      x = 3                          | x = 4
      y = 2x                         | x = 2y
      """)
  void differentRelationsDiffer(String answer, String reference) {
    assertDifferent(answer, reference);
  }

  @ParameterizedTest(name = "set {0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      \\{4,5,6\\}                    | 4, 5, 6
      6, 4, 5                        | \\{4, 5, 6\\}
      4 and 5 and 6                  | \\{4,5,6\\}
      4, 5, \\text{ and } 6          | 4,5,6
      x = 2 \\text{ or } x = -3      | -3, 2
      2 \\pm \\sqrt{3}               | 2+\\sqrt3, 2-\\sqrt3
      (-\\infty, \\tfrac37] \\cup [\\tfrac35, \\infty) | [0.6, \\infty) \\cup (-\\infty, 3/7]
      \\{5\\}                        | 5
      \\pm 5                         | 5, -5
      x = \\pm 3                     | -3, 3
      x < -2 \\text{ or } x > 3      | (-\\infty, -2) \\cup (3, \\infty)
      \\mathbb{R}                    | (-\\infty, \\infty)
      \\emptyset                     | \\{\\}
      """)
  void setsIgnoreOrderAndNotation(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @ParameterizedTest(name = "tuple {0} != {1}")
  @CsvSource(delimiter = '|', textBlock = """
      (4, 1)                         | (1, 4)
      4, 1                           | (1, 4)
      \\{4, 5\\}                     | \\{4, 5, 6\\}
      (1, 2)                         | [1, 2]
      """)
  void orderedTuplesStayOrdered(String answer, String reference) {
    assertDifferent(answer, reference);
  }

  @ParameterizedTest(name = "labelled {0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      y = 2/5                        | \\frac{2}{5}
      (a,b)=(1,4)                    | (1,4)
      m=3, n=7                       | (3, 7)
      m=3, n=7                       | 3, 7
      n = 7, m = 3                   | m=3, n=7
      g(t)=5                         | 5
      f(x) = x^2 + 1                 | 1 + x^2
      x = -1                         | -1
      1, 4                           | (1, 4)
      """)
  void labelledAnswersCompareByValue(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @Test
  void differentLabelsOnTheSameValueAreDroppedAsTheMathGradersDo() {
    assertEqual("y = 3", "x = 3");
  }

  @Test
  void severalBoxedAnswersAreComparedAsASetToACompoundReference() {
    Grade g = grader.grade("The roots are $\\boxed{3}$ and $\\boxed{-2}$.", "-2, 3");

    assertEquals(Outcome.EQUAL, g.outcome(), g.detail());
    assertTrue(g.detail().contains("boxed answers taken together"), g.detail());
    assertEquals(Outcome.DIFFERENT, grader.grade("$\\boxed{3}$ and $\\boxed{-3}$.", "-2, 3").outcome());
  }

  @ParameterizedTest(name = "noise {0} = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      \\left( 1, 2 \\right)          | (1,2)
      \\cfrac{2}{5}                  | 0.4
      \\tfrac{2}{5}                  | 2/5
      \\frac25 \\textbf{liters}      | 2/5
      5\\!000                        | 5000
      1\\,000                        | 1000
      90^\\circ                      | 90
      90°                            | 90
      \\$18.90                       | 18.9
      12 \\text{ cm}^2               | 12
      12 inches                      | 12
      \\[ \\frac{1}{2} \\]           | 0.5
      \\( 3 \\)                      | 3
      $$7$$                          | 7
      \\text{(C)}                    | C
      \\text{Monday}                 | monday
      no                             | \\text{No}
      \\displaystyle\\frac{1}{2}     | 1/2
      """)
  void latexNoiseIsIgnored(String answer, String reference) {
    assertEqual(answer, reference);
  }

  @Test
  void theLastBoxWinsAndUnboxedAnswersAreFoundAndNamed() {
    Grade last = grader.grade("First \\boxed{1}, then \\boxed{2}.", "2");
    Grade phrase = grader.grade("Adding them up, the answer is $\\frac{3}{4}$.", "0.75");
    Grade answerColon = grader.grade("Working...\nAnswer: 42", "42");
    Grade display = grader.grade("Therefore\n\\[ x = \\frac{1}{2} \\]\n", "1/2");
    Grade inline = grader.grade("We conclude that $x = 7$", "7");

    assertEquals(Outcome.EQUAL, last.outcome(), last.detail());
    assertEquals(Outcome.EQUAL, phrase.outcome(), phrase.detail());
    assertTrue(phrase.detail().contains("'answer is' phrase"), phrase.detail());
    assertEquals(Outcome.EQUAL, answerColon.outcome(), answerColon.detail());
    assertEquals(Outcome.EQUAL, display.outcome(), display.detail());
    assertTrue(display.detail().contains("display math"), display.detail());
    assertEquals(Outcome.EQUAL, inline.outcome(), inline.detail());
    assertTrue(inline.detail().contains("inline math"), inline.detail());
  }

  @Test
  void proseWithoutAnAnswerIsUnparseable() {
    assertEquals(Outcome.UNPARSEABLE, grader.grade("I am not sure how to solve this.", "5").outcome());
    Grade hedged = grader.grade("I think the answer is probably five.", "5");
    assertEquals(Outcome.UNPARSEABLE, hedged.outcome(), hedged.detail());
    assertTrue(hedged.detail().contains("not a math answer"), hedged.detail());
  }

  @Test
  void pathologicalInputIsUnparseableWithAReasonAndNeverHangs() {
    MathGrader strict = new MathGrader(1e-6, Duration.ofMillis(50));
    String tower = "2^{2^{2^{2^{2^{2^{2}}}}}}";
    String nested = "(".repeat(5_000) + "1" + ")".repeat(5_000);
    String huge = "x^{999999999} + (x+1)^{99999}";

    long start = System.nanoTime();
    Grade towerGrade = strict.grade("\\boxed{" + tower + "}", "3");
    Grade nestedGrade = strict.grade("\\boxed{" + nested + "}", "1");
    Grade hugeGrade = strict.grade("\\boxed{" + huge + "}", "x");
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertNotEquals(Outcome.EQUAL, towerGrade.outcome(), towerGrade.detail());
    assertEquals(Outcome.UNPARSEABLE, nestedGrade.outcome(), nestedGrade.detail());
    assertTrue(nestedGrade.detail().contains("longer than") || nestedGrade.detail().contains("nesting"),
        nestedGrade.detail());
    assertNotEquals(Outcome.EQUAL, hugeGrade.outcome(), hugeGrade.detail());
    assertTrue(millis < 2_000, "took " + millis + " ms");
  }

  @Test
  void aSlowComparisonEndsAtTheTimeLimitAsUnparseable() {
    MathGrader strict = new MathGrader(1e-6, Duration.ofMillis(1));
    // 150 sines at 40 digits, at several points: far more than a millisecond, though short and shallow.
    String slow = java.util.stream.IntStream.range(0, 150).mapToObj(k -> "\\sin(x+" + k + ")")
        .collect(java.util.stream.Collectors.joining("+"));

    Grade g = strict.grade("\\boxed{" + slow + "}", slow + "+0");

    assertEquals(Outcome.UNPARSEABLE, g.outcome(), g.detail());
    assertTrue(g.detail().contains("time limit of 1 ms exceeded"), g.detail());
  }

  @Test
  void equivalentAnswersShareTheMajorityVoteKey() {
    assertEquals(grader.key("\\boxed{\\frac12}"), grader.key("\\boxed{0.5}"));
    assertEquals(grader.key("\\boxed{2\\sqrt3}"), grader.key("\\boxed{\\sqrt{12}}"));
    assertEquals(grader.key("\\boxed{(x+1)^2}"), grader.key("\\boxed{x^2+2x+1}"));
    assertEquals(grader.key("\\boxed{x = 5}"), grader.key("\\boxed{5}"));
    assertEquals(grader.key("\\boxed{\\{3, -2\\}}"), grader.key("\\boxed{-2, 3}"));
    assertEquals(grader.key("\\boxed{1,250}"), grader.key("\\boxed{1250}"));
    assertEquals(grader.key("\\boxed{y \\le 4}"), grader.key("\\boxed{4 \\ge y}"));
    assertEquals(grader.key("\\boxed{3x-6y+9=0}"), grader.key("\\boxed{6y - 3x - 9 = 0}"));
    assertEquals("1/2", grader.key("\\boxed{\\frac12}").orElseThrow());
    assertNotEquals(grader.key("\\boxed{2-\\sqrt3}"), grader.key("\\boxed{2+\\sqrt3}"));
    assertNotEquals(grader.key("\\boxed{(1,2)}"), grader.key("\\boxed{(2,1)}"));
  }
}
