package dev.languageranker.labeler.verify;

import dev.languageranker.answers.FunctionCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compares made calls with expected ones the way BFCL's AST checker does: same names, every argument among its
 * accepted values (strings compared case- and punctuation-insensitively, numbers by value), no unexpected
 * arguments, and calls matched in any order.
 */
final class CallMatcher {

  /** Why the calls do not match, or empty when they do. */
  Optional<String> mismatch(List<FunctionCall> made, List<ExpectedCall> expected) {
    if (made.size() != expected.size()) {
      return Optional.of("made " + made.size() + " call(s), expected " + expected.size());
    }
    boolean[] used = new boolean[made.size()];
    if (assign(0, made, expected, used)) {
      return Optional.empty();
    }
    // No one-to-one assignment: report the first expected call nothing matches, or the first call's reason.
    for (ExpectedCall want : expected) {
      List<String> reasons = new ArrayList<>();
      for (FunctionCall call : made) {
        mismatch(call, want).ifPresent(reasons::add);
      }
      if (reasons.size() == made.size()) {
        return Optional.of("no call matches expected " + want.name() + ": " + reasons.get(0));
      }
    }
    return Optional.of("calls cannot be paired one-to-one with the expected calls");
  }

  private boolean assign(int next, List<FunctionCall> made, List<ExpectedCall> expected, boolean[] used) {
    if (next == expected.size()) {
      return true;
    }
    for (int i = 0; i < made.size(); i++) {
      if (!used[i] && mismatch(made.get(i), expected.get(next)).isEmpty()) {
        used[i] = true;
        if (assign(next + 1, made, expected, used)) {
          return true;
        }
        used[i] = false;
      }
    }
    return false;
  }

  /** Why one call does not match one expected call, or empty when it does. */
  Optional<String> mismatch(FunctionCall call, ExpectedCall want) {
    if (!call.name().equals(want.name())) {
      return Optional.of("function " + call.name() + " is not " + want.name());
    }
    ObjectNode args = call.arguments();
    Iterator<String> names = args.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!want.acceptedValues().containsKey(name)) {
        return Optional.of(want.name() + ": unexpected argument " + name);
      }
    }
    for (Map.Entry<String, ArrayNode> arg : want.acceptedValues().entrySet()) {
      JsonNode value = args.get(arg.getKey());
      if (value == null) {
        if (!mayOmit(arg.getValue())) {
          return Optional.of(want.name() + ": missing argument " + arg.getKey());
        }
      } else if (!anyMatches(value, arg.getValue())) {
        return Optional
            .of(want.name() + ": argument " + arg.getKey() + "=" + value + " is not one of " + arg.getValue());
      }
    }
    return Optional.empty();
  }

  private static boolean mayOmit(JsonNode accepted) {
    for (JsonNode v : accepted) {
      if (v.isTextual() && v.asText().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private boolean anyMatches(JsonNode value, JsonNode accepted) {
    if (!accepted.isArray()) {
      return matches(value, accepted);
    }
    for (JsonNode candidate : accepted) {
      if (matches(value, candidate)) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(JsonNode value, JsonNode accepted) {
    if (accepted.isObject()) {
      if (!value.isObject()) {
        return false;
      }
      Iterator<String> names = value.fieldNames();
      while (names.hasNext()) {
        if (!accepted.has(names.next())) {
          return false;
        }
      }
      Iterator<Map.Entry<String, JsonNode>> fields = accepted.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode inner = value.get(field.getKey());
        if (inner == null ? !mayOmit(field.getValue()) : !anyMatches(inner, field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (accepted.isArray()) {
      if (!value.isArray() || value.size() != accepted.size()) {
        return false;
      }
      for (int i = 0; i < accepted.size(); i++) {
        if (!matches(value.get(i), accepted.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (accepted.isNumber()) {
      return value.isNumber() && value.decimalValue().compareTo(accepted.decimalValue()) == 0;
    }
    if (accepted.isTextual()) {
      return value.isTextual() && standardized(value.asText()).equals(standardized(accepted.asText()));
    }
    return value.equals(accepted); // booleans and null
  }

  /** BFCL's string standardization: case, spaces and the punctuation {@code ,./-_*^} do not count. */
  static String standardized(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[ ,./\\-_*^]", "").replace('\'', '"');
  }
}
