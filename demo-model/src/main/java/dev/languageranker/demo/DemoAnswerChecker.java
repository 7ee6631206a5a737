package dev.languageranker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks demo responses against their references: math by the last {@code \boxed{...}} (compared as a number),
 * function calling by the parsed list of calls (order-insensitive, numbers compared by value). It also extracts the
 * comparable answer for majority voting.
 */
public final class DemoAnswerChecker {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether {@code response} answers the problem correctly. */
  public boolean isCorrect(DemoTask task, String response, String reference) {
    Optional<String> answer = extractAnswer(task, response);
    Optional<String> expected = extractAnswer(task, task == DemoTask.MATH ? "\\boxed{" + reference + "}" : reference);
    return answer.isPresent() && answer.equals(expected);
  }

  /** The canonical answer of a response (the boxed number, or the sorted calls), empty when there is none. */
  public Optional<String> extractAnswer(DemoTask task, String response) {
    return task == DemoTask.MATH ? lastBoxed(response).flatMap(DemoAnswerChecker::number) : calls(response);
  }

  /** The content of the last {@code \boxed{...}}, with nested braces. */
  public static Optional<String> lastBoxed(String text) {
    int start = text.lastIndexOf("\\boxed{");
    if (start < 0) {
      return Optional.empty();
    }
    int depth = 0;
    for (int i = start + "\\boxed".length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          return Optional.of(text.substring(start + "\\boxed{".length(), i).trim());
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> number(String text) {
    try {
      return Optional.of(new java.math.BigDecimal(text.replace(",", "")).stripTrailingZeros().toPlainString());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> calls(String text) {
    try {
      JsonNode node = JSON.readTree(text.trim());
      if (node == null || !node.isArray()) {
        return Optional.empty();
      }
      List<String> canonical = new ArrayList<>();
      for (JsonNode call : node) {
        if (!call.isObject() || !call.path("name").isTextual() || !call.path("arguments").isObject()) {
          return Optional.empty();
        }
        // Jackson's JsonNode equality is by value; a sorted, canonical text makes answers comparable and countable.
        canonical.add(call.get("name").asText() + JSON.writeValueAsString(sorted(call.get("arguments"))));
      }
      canonical.sort(null);
      return Optional.of(String.join(";", canonical));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static JsonNode sorted(JsonNode arguments) {
    java.util.TreeMap<String, Object> map = new java.util.TreeMap<>();
    arguments.fields().forEachRemaining(e -> map.put(e.getKey(),
        e.getValue().isNumber() ? e.getValue().decimalValue().stripTrailingZeros().toPlainString()
            : e.getValue().asText()));
    return JSON.valueToTree(map);
  }
}
