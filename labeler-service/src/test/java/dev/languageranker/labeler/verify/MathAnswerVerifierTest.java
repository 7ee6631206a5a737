package dev.languageranker.labeler.verify;

import dev.languageranker.answers.BoxedAnswerExtractor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MathAnswerVerifierTest {

  private final MathAnswerVerifier verifier = new MathAnswerVerifier();
  private final BoxedAnswerExtractor extractor = new BoxedAnswerExtractor();

  @Test
  void extractsTheLastBoxedAnswerWithNestedBraces() {
    String response = "First \\boxed{1}, then on reflection $\\boxed{\\frac{\\sqrt{3}}{2}}$.";

    assertEquals(Optional.of("\\frac{\\sqrt{3}}{2}"), extractor.extract(response));
  }

  @Test
  void extractsFboxAndTheSpaceSeparatedBoxedForm() {
    assertEquals(Optional.of("7"), extractor.extract("so \\fbox{7}"));
    assertEquals(Optional.of("42"), extractor.extract("so $\\boxed 42$"));
  }

  @Test
  void extractsGsm8kHashAnswerWhenNothingIsBoxed() {
    assertEquals(Optional.of("1,080"), extractor.extract("She earns 1080 in total.\n#### 1,080"));
  }

  @Test
  void fallsBackToAnEarlierBoxWhenTheLastOneIsTruncated() {
    assertEquals(Optional.of("5"), extractor.extract("\\boxed{5} and then \\boxed{\\frac{1}{"));
  }

  @Test
  void responseWithoutAnAnswerIsUnparseableNotIncorrect() {
    Verification v = verifier.verify("I think the answer is probably 5.", new MathReference("5"));

    assertEquals(Verdict.UNPARSEABLE, v.verdict());
    assertEquals(0.0, v.score());
    assertNull(v.answerKey());
  }

  @ParameterizedTest(name = "{0} equals {1}")
  @CsvSource(delimiter = '|', textBlock = """
      \\frac{1}{2}                     | 0.5
      \\dfrac{1}{2}                    | 1/2
      \\tfrac12                        | \\frac{1}{2}
      \\frac12                         | .5
      -\\frac{3}{4}                    | -0.75
      \\left( 1, 2 \\right)            | (1,2)
      10\\%                            | 10
      1,000,000                        | 1000000
      1{,}000                          | 1000
      1,\\!000                         | 1000
      x = 3                            | 3
      k=\\frac{2}{3}                   | \\frac{2}{3}
      90^\\circ                        | 90
      90^{\\circ}                      | 90
      \\$18.90                         | 18.9
      5\\text{ cm}                     | 5
      12\\mbox{ inches}                | 12
      \\text{(A)}                      | (A)
      7.                               | 7
      3.50                             | \\frac{7}{2}
      2\\frac{1}{4}                    | 9/4
      \\sqrt2                          | \\sqrt{2}
      [-1, \\frac{1}{2})               | [-1,0.5)
      3, -2                            | -2, 3
      \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix} | \\begin{pmatrix}1\\\\2\\end{pmatrix}
      """)
  void equivalentAnswersAreCorrect(String answer, String expected) {
    Verification v = verifier.verify("... so the answer is $\\boxed{" + answer + "}$", new MathReference(expected));

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
    assertEquals(1.0, v.score());
  }

  @ParameterizedTest(name = "{0} differs from {1}")
  @CsvSource(delimiter = '|', textBlock = """
      \\frac{1}{3}     | 0.33
      (1,2)            | (2,1)
      [1,2]            | (1,2)
      (1,2]            | (1,2)
      2                | -2
      1,001            | 1001.5
      \\sqrt{2}        | \\sqrt{3}
      x^2              | x^3
      """)
  void differentAnswersAreIncorrect(String answer, String expected) {
    Verification v = verifier.verify("\\boxed{" + answer + "}", new MathReference(expected));

    assertEquals(Verdict.INCORRECT, v.verdict(), v.detail());
    assertEquals(0.0, v.score());
  }

  @Test
  void equivalentAnswersShareOneAnswerKeyForMajorityVote() {
    String a = verifier.verify("\\boxed{\\dfrac{1}{2}}", new MathReference("0")).answerKey();
    String b = verifier.verify("\\boxed{0.50}", new MathReference("0")).answerKey();
    String c = verifier.verify("#### 1/2", new MathReference("0")).answerKey();

    assertEquals("1/2", a);
    assertEquals(a, b);
    assertEquals(a, c);
  }

  @Test
  void symbolicEquivalenceIsCorrectAndTheDetailNamesTheRule() {
    Verification v = verifier.verify("Expanding, $\\boxed{x^2+2x+1}$", new MathReference("(x+1)^2"));

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
    assertTrue(v.detail().contains("symbolic: difference is 0"), v.detail());
  }

  @Test
  void theRoundedDecimalsSettingDecidesWhetherADecimalRoundingOfTheReferenceIsCorrect() {
    MathAnswerVerifier strict = new MathAnswerVerifier(1e-6, Duration.ofSeconds(1), false);
    MathReference twoThirds = new MathReference("\\frac{2}{3}");

    Verification v = verifier.verify("\\boxed{0.67}", twoThirds);
    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
    assertTrue(v.detail().contains("rounded decimal"), v.detail());
    assertEquals(Verdict.INCORRECT, strict.verify("\\boxed{0.67}", twoThirds).verdict());
    assertEquals(Verdict.INCORRECT, verifier.verify("\\boxed{0.66}", twoThirds).verdict());
  }

  @Test
  void theToleranceSettingDecidesWhetherARoundedDecimalIsCorrect() {
    MathAnswerVerifier loose = new MathAnswerVerifier(0.02, Duration.ofMillis(200));

    assertEquals(Verdict.INCORRECT, verifier.verify("\\boxed{0.14}", new MathReference("\\frac{1}{7}")).verdict());
    assertEquals(Verdict.CORRECT, loose.verify("\\boxed{0.14}", new MathReference("\\frac{1}{7}")).verdict());
    assertEquals(Verdict.CORRECT, verifier.verify("\\boxed{0.142857143}", new MathReference("\\frac{1}{7}")).verdict());
  }

  @Test
  void anAnswerBeyondTheTimeLimitIsUnparseableWithTheReason() {
    MathAnswerVerifier hasty = new MathAnswerVerifier(1e-6, Duration.ofMillis(1));
    // 150 cosines at 40 digits, at several points: far more than a millisecond, though short and shallow.
    String slow = java.util.stream.IntStream.range(0, 150).mapToObj(k -> "\\cos(t+" + k + ")")
        .collect(java.util.stream.Collectors.joining("+"));

    Verification v = hasty.verify("\\boxed{" + slow + "}", new MathReference(slow + " + 0"));

    assertEquals(Verdict.UNPARSEABLE, v.verdict(), v.detail());
    assertTrue(v.detail().contains("time limit"), v.detail());
    assertNull(v.answerKey());
  }

  @Test
  void referenceGivenAsAFullSolutionUsesItsBoxedAnswer() {
    Verification v = verifier.verify("\\boxed{4}", new MathReference("2+2 is $\\boxed{4}$."));

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
  }

  @Test
  void theQuestionOfAReferenceDecidesWhetherAListIsOrdered() {
    String question = "Find the three roots and list them in increasing order.";
    assertEquals(Verdict.INCORRECT,
        verifier.verify("\\boxed{7, 1, -3}", new MathReference("-3, 1, 7", question)).verdict());
    assertEquals(Verdict.CORRECT,
        verifier.verify("\\boxed{-3, 1, 7}", new MathReference("-3, 1, 7", question)).verdict());
    // Without a question that fixes the order, a bare list compares as a set.
    assertEquals(Verdict.CORRECT, verifier.verify("\\boxed{7, 1, -3}", new MathReference("-3, 1, 7")).verdict());
    assertEquals(Verdict.CORRECT,
        verifier.verify("\\boxed{7, 1, -3}", new MathReference("-3, 1, 7", "Find all roots.")).verdict());
  }
}
