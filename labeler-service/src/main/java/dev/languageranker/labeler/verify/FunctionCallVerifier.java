package dev.languageranker.labeler.verify;

import dev.languageranker.answers.FunctionCallParser;
import dev.languageranker.answers.FunctionCall;
import dev.languageranker.answers.CanonicalCalls;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Verifies a function-calling response: its JSON calls against the expected calls, BFCL style. */
public final class FunctionCallVerifier implements Verifier<FunctionCallReference> {

  private final ObjectMapper mapper;
  private final FunctionCallParser parser;
  private final ExpectedCallsParser expectedParser;
  private final CallMatcher matcher = new CallMatcher();
  private final CanonicalCalls canonical;

  public FunctionCallVerifier() {
    this(new ObjectMapper());
  }

  public FunctionCallVerifier(ObjectMapper mapper) {
    this.mapper = mapper;
    this.parser = new FunctionCallParser(mapper);
    this.canonical = new CanonicalCalls(mapper);
    this.expectedParser = new ExpectedCallsParser(mapper);
  }

  /** Throws {@link IllegalArgumentException} when the reference itself is malformed. */
  @Override
  public Verification verify(String response, FunctionCallReference reference) {
    List<ExpectedCall> expected = expectedParser.parse(reference.expectedCalls());
    FunctionSchemas schemas = FunctionSchemas.parse(mapper, reference.functions());
    Optional<List<FunctionCall>> parsed = parser.parse(response);
    if (parsed.isEmpty()) {
      return Verification.of(Verdict.UNPARSEABLE, null, "no JSON list of {\"name\", \"arguments\"} calls found");
    }
    List<FunctionCall> calls = new ArrayList<>();
    for (FunctionCall call : parsed.get()) {
      calls.add(new FunctionCall(call.name(), schemas.normalizedArguments(call)));
    }
    String key = answerKey(calls);
    Optional<String> mismatch = matcher.mismatch(calls, expected);
    return mismatch
        .map(reason -> Verification.of(Verdict.INCORRECT, key, reason))
        .orElseGet(() -> Verification.of(Verdict.CORRECT, key, "all " + calls.size() + " call(s) match"));
  }

  /** Canonical JSON of the calls: keys sorted, numbers by value, calls in a fixed order (parallel calls are unordered). */
  String answerKey(List<FunctionCall> calls) {
    return canonical.keyOf(calls);
  }
}
