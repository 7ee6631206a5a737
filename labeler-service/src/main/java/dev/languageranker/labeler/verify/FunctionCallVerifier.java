package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Verifies a function-calling response: its JSON calls against the expected calls, BFCL style. */
public final class FunctionCallVerifier implements Verifier<FunctionCallReference> {

  private final ObjectMapper mapper;
  private final FunctionCallParser parser;
  private final ExpectedCallsParser expectedParser;
  private final CallMatcher matcher = new CallMatcher();

  public FunctionCallVerifier() {
    this(new ObjectMapper());
  }

  public FunctionCallVerifier(ObjectMapper mapper) {
    this.mapper = mapper;
    this.parser = new FunctionCallParser(mapper);
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
    List<String> all = new ArrayList<>();
    for (FunctionCall call : calls) {
      ObjectNode canonical = mapper.createObjectNode();
      canonical.put("name", call.name());
      canonical.set("arguments", canonical(call.arguments()));
      all.add(write(canonical));
    }
    all.sort(null);
    return "[" + String.join(",", all) + "]";
  }

  private JsonNode canonical(JsonNode value) {
    if (value.isObject()) {
      ObjectNode sorted = mapper.createObjectNode();
      new TreeSet<>(iterable(value)).forEach(name -> sorted.set(name, canonical(value.get(name))));
      return sorted;
    }
    if (value.isArray()) {
      ArrayNode array = mapper.createArrayNode();
      value.forEach(v -> array.add(canonical(v)));
      return array;
    }
    if (value.isNumber()) {
      // Plain digits, so 1000, 1000.0 and 1E+3 share one key.
      return DecimalNode.valueOf(new java.math.BigDecimal(value.decimalValue().stripTrailingZeros().toPlainString()));
    }
    return value;
  }

  private static List<String> iterable(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
