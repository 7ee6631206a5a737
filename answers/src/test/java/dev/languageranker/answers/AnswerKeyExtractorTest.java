package dev.languageranker.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerKeyExtractorTest {
  private final AnswerKeyExtractor keys = new AnswerKeyExtractor();

  @Test
  void equalMathAnswersWrittenDifferentlyShareOneKey() {
    String half = keys.mathKey("so \\boxed{\\frac12}").orElseThrow();

    assertEquals(half, keys.mathKey("we get \\boxed{0.5}.").orElseThrow());
    assertEquals(half, keys.mathKey("#### 1/2").orElseThrow());
    assertNotEquals(half, keys.mathKey("\\boxed{2}").orElseThrow());
  }

  @Test
  void unboxedAnswersAreKeyedAsTheVerifierFindsThem() {
    assertEquals("1/2", keys.mathKey("Adding the two halves, the answer is $0.5$.").orElseThrow());
    assertEquals("1/2", keys.mathKey("Therefore\n\\[ x = \\frac{1}{2} \\]").orElseThrow());
    assertEquals(Optional.empty(), keys.mathKey("I think the answer is probably five."));
  }

  @Test
  void aResponseWithoutAFinalAnswerHasNoKey() {
    assertEquals(Optional.empty(), keys.mathKey("I think it is five"));
    assertEquals(Optional.empty(), keys.functionCallKey("I cannot call anything"));
  }

  @Test
  void functionCallKeysIgnoreArgumentAndCallOrderAndNumberSpelling() {
    String a = keys.functionCallKey(
        "[{\"name\": \"f\", \"arguments\": {\"x\": 1000, \"y\": \"a\"}}, {\"name\": \"g\", \"arguments\": {}}]")
        .orElseThrow();
    String b = keys.functionCallKey(
        "```json\n[{\"name\": \"g\", \"arguments\": {}}, {\"name\": \"f\", \"arguments\": {\"y\": \"a\", \"x\": 1E+3}}]\n```")
        .orElseThrow();

    assertEquals(a, b);
    assertTrue(
        keys.functionCallKey("[{\"name\": \"f\", \"arguments\": {\"x\": 999}}]").map(k -> !k.equals(a)).orElseThrow());
  }
}
