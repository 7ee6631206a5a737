package dev.languageranker.labeler.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FunctionCallVerifierTest {

  private static final String AREA_SCHEMA = """
      [{"name": "area", "parameters": {"type": "dict", "properties": {
        "base": {"type": "integer"}, "height": {"type": "float"}, "unit": {"type": "string"}}}}]""";
  private static final String AREA_TRUTH = """
      [{"area": {"base": [10], "height": [5.5], "unit": ["cm", ""]}}]""";

  private final FunctionCallVerifier verifier = new FunctionCallVerifier();

  private Verification verify(String response, String truth, String functions) {
    return verifier.verify(response, new FunctionCallReference(truth, functions));
  }

  @Test
  void matchingCallListIsCorrect() {
    Verification v = verify("[{\"name\": \"area\", \"arguments\": {\"base\": 10, \"height\": 5.5, \"unit\": \"cm\"}}]",
        AREA_TRUTH, AREA_SCHEMA);

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
    assertEquals(1.0, v.score());
  }

  @Test
  void toleratesACodeFenceAndASingleObject() {
    Verification v = verify("```json\n{\"name\": \"area\", \"arguments\": {\"base\": 10, \"height\": 5.5}}\n```",
        AREA_TRUTH, AREA_SCHEMA);

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
  }

  @Test
  void toleratesArgumentsSentAsAJsonString() {
    Verification v = verify("[{\"name\": \"area\", \"arguments\": \"{\\\"base\\\": 10, \\\"height\\\": 5.5}\"}]",
        AREA_TRUTH, AREA_SCHEMA);

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
  }

  @Test
  void numericStringIsANumberWhereTheSchemaSaysNumber() {
    Verification v = verify("[{\"name\": \"area\", \"arguments\": {\"base\": \"10\", \"height\": \"5.50\"}}]",
        AREA_TRUTH, AREA_SCHEMA);

    assertEquals(Verdict.CORRECT, v.verdict(), v.detail());
  }

  @Test
  void numericStringStaysAStringWithoutASchema() {
    Verification v = verify("[{\"name\": \"area\", \"arguments\": {\"base\": \"10\", \"height\": 5.5}}]", AREA_TRUTH,
        null);

    assertEquals(Verdict.INCORRECT, v.verdict(), v.detail());
  }

  @Test
  void stringArgumentWhereTheSchemaSaysStringIsNotTurnedIntoANumber() {
    String truth = "[{\"lookup\": {\"code\": [\"5\"]}}]";
    String schema = "[{\"name\": \"lookup\", \"parameters\": {\"properties\": {\"code\": {\"type\": \"string\"}}}}]";

    assertEquals(Verdict.INCORRECT,
        verify("[{\"name\": \"lookup\", \"arguments\": {\"code\": 5}}]", truth, schema).verdict());
    assertEquals(Verdict.CORRECT,
        verify("[{\"name\": \"lookup\", \"arguments\": {\"code\": \"5\"}}]", truth, schema).verdict());
  }

  @Test
  void anyAcceptedAlternativeIsCorrect() {
    String truth = "[{\"weather\": {\"city\": [\"New York\", \"NYC\", \"New York, NY\"]}}]";

    assertEquals(Verdict.CORRECT,
        verify("[{\"name\": \"weather\", \"arguments\": {\"city\": \"NYC\"}}]", truth, null).verdict());
    assertEquals(Verdict.CORRECT,
        verify("[{\"name\": \"weather\", \"arguments\": {\"city\": \"new york ny\"}}]", truth, null).verdict());
    assertEquals(Verdict.INCORRECT,
        verify("[{\"name\": \"weather\", \"arguments\": {\"city\": \"Boston\"}}]", truth, null).verdict());
  }

  @Test
  void missingRequiredArgumentIsIncorrectButAnOptionalOneMayBeOmitted() {
    Verification missing = verify("[{\"name\": \"area\", \"arguments\": {\"base\": 10}}]", AREA_TRUTH, AREA_SCHEMA);

    assertEquals(Verdict.INCORRECT, missing.verdict());
    assertTrue(missing.detail().contains("missing argument height"), missing.detail());
  }

  @Test
  void unexpectedArgumentIsIncorrect() {
    Verification v = verify(
        "[{\"name\": \"area\", \"arguments\": {\"base\": 10, \"height\": 5.5, \"color\": \"red\"}}]", AREA_TRUTH,
        AREA_SCHEMA);

    assertEquals(Verdict.INCORRECT, v.verdict());
    assertTrue(v.detail().contains("unexpected argument color"), v.detail());
  }

  @Test
  void parallelCallsMatchInAnyOrderButNotWithAMissingOrExtraCall() {
    String truth = "[{\"weather\": {\"city\": [\"Paris\"]}}, {\"weather\": {\"city\": [\"Rome\"]}}]";
    String rome = "{\"name\": \"weather\", \"arguments\": {\"city\": \"Rome\"}}";
    String paris = "{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}";

    assertEquals(Verdict.CORRECT, verify("[" + rome + ", " + paris + "]", truth, null).verdict());
    assertEquals(Verdict.INCORRECT, verify("[" + rome + "]", truth, null).verdict());
    assertEquals(Verdict.INCORRECT, verify("[" + rome + ", " + rome + "]", truth, null).verdict());
  }

  @Test
  void nestedObjectsUseAcceptedValuesPerKey() {
    String truth = "[{\"query\": {\"conditions\": [{\"department\": [\"Science\"], \"school\": [\"Bluebird High School\", \"Bluebird HS\"]}]}}]";

    assertEquals(Verdict.CORRECT, verify(
        "[{\"name\": \"query\", \"arguments\": {\"conditions\": {\"department\": \"Science\", \"school\": \"Bluebird HS\"}}}]",
        truth, null).verdict());
    assertEquals(Verdict.INCORRECT, verify(
        "[{\"name\": \"query\", \"arguments\": {\"conditions\": {\"department\": \"Arts\", \"school\": \"Bluebird HS\"}}}]",
        truth, null).verdict());
  }

  @Test
  void plainExpectedCallsWorkLikeGroundTruthWithOneValue() {
    String plain = "[{\"name\": \"area\", \"arguments\": {\"base\": 10, \"height\": 5.5}}]";

    assertEquals(Verdict.CORRECT,
        verify("[{\"name\": \"area\", \"arguments\": {\"height\": 5.5, \"base\": 10}}]", plain, AREA_SCHEMA).verdict());
    assertEquals(Verdict.INCORRECT,
        verify("[{\"name\": \"area\", \"arguments\": {\"height\": 5.5, \"base\": 11}}]", plain, AREA_SCHEMA).verdict());
  }

  @Test
  void wrongFunctionNameIsIncorrect() {
    assertEquals(Verdict.INCORRECT,
        verify("[{\"name\": \"volume\", \"arguments\": {\"base\": 10, \"height\": 5.5}}]", AREA_TRUTH, AREA_SCHEMA)
            .verdict());
  }

  @Test
  void proseWithoutCallsIsUnparseable() {
    assertEquals(Verdict.UNPARSEABLE, verify("The area is 27.5 square cm.", AREA_TRUTH, AREA_SCHEMA).verdict());
    assertEquals(Verdict.UNPARSEABLE, verify("[{\"function\": \"area\"}]", AREA_TRUTH, AREA_SCHEMA).verdict());
  }

  @Test
  void answerKeyIsTheSameForEquivalentResponses() {
    String a = verify(
        "[{\"name\": \"w\", \"arguments\": {\"b\": 2, \"a\": \"x\"}}, {\"name\": \"v\", \"arguments\": {}}]",
        "[{\"w\": {}}]", null).answerKey();
    String b = verify(
        "```\n[{\"name\": \"v\", \"arguments\": {}}, {\"name\": \"w\", \"arguments\": {\"a\": \"x\", \"b\": 2.0}}]\n```",
        "[{\"w\": {}}]", null).answerKey();

    assertEquals(a, b);
    assertEquals("[{\"name\":\"v\",\"arguments\":{}},{\"name\":\"w\",\"arguments\":{\"a\":\"x\",\"b\":2}}]", a);
  }

  @Test
  void malformedReferenceIsRejectedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> verify("[]", "{not json", null));

    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }
}
