package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads expected calls from a reference: BFCL ground truth ({@code [{"fn": {"arg": [accepted...]}}]}, optionally
 * wrapped as {@code {"ground_truth": [...]}}) or plain calls ({@code [{"name": "fn", "arguments": {...}}]}), which
 * become ground truth with exactly one accepted value per argument.
 */
public final class ExpectedCallsParser {

  private final ObjectMapper mapper;

  public ExpectedCallsParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The expected calls; throws {@link IllegalArgumentException} with the reason when the reference is malformed. */
  public List<ExpectedCall> parse(String json) {
    JsonNode root;
    try {
      root = mapper.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("expected calls are not valid JSON: " + e.getOriginalMessage());
    }
    return parse(root);
  }

  /** The expected calls from parsed JSON. */
  public List<ExpectedCall> parse(JsonNode root) {
    if (root != null && root.isObject() && root.has("ground_truth")) {
      root = root.get("ground_truth");
    }
    List<JsonNode> items = new ArrayList<>();
    if (root != null && root.isArray()) {
      root.forEach(items::add);
    } else if (root != null && root.isObject()) {
      items.add(root);
    } else {
      throw new IllegalArgumentException("expected calls must be a JSON list or object");
    }
    List<ExpectedCall> calls = new ArrayList<>();
    for (JsonNode item : items) {
      calls.add(isPlainCall(item) ? fromPlainCall(item) : fromGroundTruth(item));
    }
    return calls;
  }

  private static boolean isPlainCall(JsonNode item) {
    return item.isObject() && item.path("name").isTextual()
        && (item.has("arguments") || item.has("parameters") || item.size() == 1);
  }

  private ExpectedCall fromPlainCall(JsonNode item) {
    JsonNode args = item.has("arguments") ? item.get("arguments") : item.get("parameters");
    if (args != null && args.isTextual()) {
      try {
        args = mapper.readTree(args.asText());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "arguments of expected call " + item.get("name").asText() + " are not valid JSON");
      }
    }
    Map<String, ArrayNode> accepted = new LinkedHashMap<>();
    if (args != null && !args.isNull()) {
      if (!args.isObject()) {
        throw new IllegalArgumentException(
            "arguments of expected call " + item.get("name").asText() + " must be an object");
      }
      args.fields()
          .forEachRemaining(e -> accepted.put(e.getKey(), mapper.createArrayNode().add(asGroundTruth(e.getValue()))));
    }
    return new ExpectedCall(item.get("name").asText(), accepted);
  }

  private ExpectedCall fromGroundTruth(JsonNode item) {
    if (!item.isObject() || item.size() != 1) {
      throw new IllegalArgumentException("a ground-truth call must be an object with one function name: " + item);
    }
    Map.Entry<String, JsonNode> only = item.fields().next();
    if (!only.getValue().isObject()) {
      throw new IllegalArgumentException("ground-truth arguments of " + only.getKey() + " must be an object");
    }
    Map<String, ArrayNode> accepted = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> args = only.getValue().fields();
    while (args.hasNext()) {
      Map.Entry<String, JsonNode> arg = args.next();
      if (!arg.getValue().isArray()) {
        throw new IllegalArgumentException(
            "accepted values of " + only.getKey() + "." + arg.getKey() + " must be a list");
      }
      accepted.put(arg.getKey(), (ArrayNode) arg.getValue());
    }
    return new ExpectedCall(only.getKey(), accepted);
  }

  /** A plain value in ground-truth form: objects map each key to a one-element list of accepted values. */
  private JsonNode asGroundTruth(JsonNode value) {
    if (value.isObject()) {
      ObjectNode wrapped = mapper.createObjectNode();
      value.fields()
          .forEachRemaining(e -> wrapped.set(e.getKey(), mapper.createArrayNode().add(asGroundTruth(e.getValue()))));
      return wrapped;
    }
    if (value.isArray()) {
      ArrayNode wrapped = mapper.createArrayNode();
      value.forEach(v -> wrapped.add(asGroundTruth(v)));
      return wrapped;
    }
    return value;
  }
}
