package dev.languageranker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.generator.runtime.TextTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Labelling one sampled response: the checker's verdict, and the token where a wrong one departs from the worked
 * solution, with the committed demo tokenizer.
 */
class OwnSampleSourceTest {

  private static final String END = DemoChatFormat.END;
  private static final DemoProblem MATH = new DemoProblem(DemoTask.MATH, MathProblemGenerator.SYSTEM,
      "Tom has 23 apples. Then Tom buys 14 more. Then Tom gives away 5. How many apples does Tom have now?",
      "23 + 14 = 37\n37 - 5 = 32\nThe answer is \\boxed{32}", "32");
  private static final String WEATHER = "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", "
      + "\"unit\": \"celsius\"}}";
  private static final String TIMER = "{\"name\": \"set_timer\", \"arguments\": {\"minutes\": 12, \"label\": \"tea\"}}";
  private static final String WORKED_CALLS = calls(WEATHER, TIMER);
  private static final DemoProblem CALLS = new DemoProblem(DemoTask.FUNCTION, FunctionCallProblemGenerator.SYSTEM,
      "What is the weather in Paris in celsius? Also set a 12 minute timer for tea.", WORKED_CALLS, WORKED_CALLS);
  private static TextTokenizer tokenizer;
  private final OwnSampleSource source = new OwnSampleSource();

  @BeforeAll
  static void loadTokenizer() throws Exception {
    tokenizer = TextTokenizer.load(Path.of("..", "models", "demo", "tokenizer.json"));
  }

  @AfterAll
  static void closeTokenizer() {
    tokenizer.close();
  }

  @Test
  void theWorkedSolutionIsRightAndNeverDeparts() {
    OwnSample sample = label(MATH, MATH.targetResponse(), true);
    assertTrue(sample.correct());
    assertEquals(sample.responseIds().length, sample.departure());
  }

  @Test
  void aWrongSumDepartsAtItsFirstWrongDigitAndStaysWrong() {
    OwnSample sample = label(MATH, "23 + 14 = 36\n36 - 5 = 31\nThe answer is \\boxed{31}", true);
    assertFalse(sample.correct());
    assertEquals("23 + 14 = 3", textBefore(sample));
    assertEquals("6", tokenizer.decodeSkippingSpecial(new long[]{sample.responseIds()[sample.departure()]}));
  }

  @Test
  void aRightAnswerWrittenAnotherWayIsRightThroughout() {
    OwnSample sample = label(MATH, "23 + 14 = 37\n37 - 5 = 32\nThe answer is \\boxed{32.0}", true);
    assertTrue(sample.correct());
    assertEquals(sample.responseIds().length, sample.departure());
  }

  @Test
  void aSolutionCutShortDepartsAtItsEndMarker() {
    OwnSample sample = label(MATH, "23 + 14 = 37\n37 - 5 = 32", true);
    assertFalse(sample.correct());
    assertEquals(sample.responseIds().length - 1, sample.departure());
    assertEquals(DemoChatFormat.idOf(END), sample.responseIds()[sample.departure()]);
  }

  @Test
  void aResponseCutOffWithoutEndMarkerDepartsWhereItLeavesTheSolution() {
    OwnSample sample = label(MATH, "23 + 14 = 37\n37 - 5 = 32\nThe answer is 32 and", false);
    assertFalse(sample.correct());
    assertEquals("23 + 14 = 37\n37 - 5 = 32\nThe answer is", textBefore(sample).stripTrailing());
  }

  @Test
  void callsInTheOtherOrderAreRightAndAWrongValueDepartsAtTheValueNotAtTheOrder() {
    OwnSample swapped = label(CALLS, calls(TIMER, WEATHER), true);
    assertTrue(swapped.correct());
    assertEquals(swapped.responseIds().length, swapped.departure());
    OwnSample wrongCity = label(CALLS, calls(TIMER, WEATHER.replace("Paris", "Oslo")), true);
    assertFalse(wrongCity.correct());
    String before = textBefore(wrongCity);
    assertTrue(before.startsWith(calls(TIMER, WEATHER).substring(0, calls(TIMER, WEATHER).indexOf("Paris") - 2)),
        before);
    assertTrue(calls(TIMER, WEATHER).startsWith(before), before);
  }

  @Test
  void problemsAreDistinctTrainingProblemsTheSameForTheSameSeed() {
    OwnSampleSource.Settings settings = new OwnSampleSource.Settings(40, 2, 0.5, 3);
    List<DemoProblem> problems = source.problems(settings);
    assertEquals(40, problems.size());
    assertEquals(problems, source.problems(settings));
    assertEquals(40, problems.stream().map(p -> p.task() + p.user()).distinct().count());
    assertTrue(problems.stream().noneMatch(DemoProblemSource::isHeldOut));
    assertTrue(problems.stream().anyMatch(p -> p.task() == DemoTask.MATH));
    assertTrue(problems.stream().anyMatch(p -> p.task() == DemoTask.FUNCTION));
  }

  /** The calls in the worked solutions' layout. */
  private static String calls(String first, String second) {
    try {
      return FunctionCallProblemGenerator
          .format((com.fasterxml.jackson.databind.node.ArrayNode) new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree("[" + first + "," + second + "]"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private OwnSample label(DemoProblem problem, String text, boolean ended) {
    long[] ids = tokenizer.encode(ended ? text + END : text);
    return source.label(problem, ids, ended, text, tokenizer);
  }

  private static String textBefore(OwnSample sample) {
    return tokenizer.decodeSkippingSpecial(Arrays.copyOf(sample.responseIds(), sample.departure()));
  }
}
