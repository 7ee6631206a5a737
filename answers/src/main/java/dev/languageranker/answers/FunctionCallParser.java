package dev.languageranker.answers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the calls of a function-calling response: a JSON list of {@code {"name", "arguments"}} objects, tolerating
 * a surrounding code fence, a single object instead of a list, and arguments sent as a JSON string.
 */
public final class FunctionCallParser {

  private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_-]*\\s*\\n?(.*?)```", Pattern.DOTALL);

  private final ObjectMapper mapper;

  public FunctionCallParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The calls, or empty when the response holds no well-formed calls. */
  public Optional<List<FunctionCall>> parse(String response) {
    if (response == null) {
      return Optional.empty();
    }
    Optional<JsonNode> json = readJson(unfenced(response.strip()));
    if (json.isEmpty()) {
      return Optional.empty();
    }
    JsonNode root = json.get();
    List<JsonNode> items = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(items::add);
    } else if (root.isObject()) {
      items.add(root);
    } else {
      return Optional.empty();
    }
    List<FunctionCall> calls = new ArrayList<>();
    for (JsonNode item : items) {
      Optional<FunctionCall> call = toCall(item);
      if (call.isEmpty()) {
        return Optional.empty();
      }
      calls.add(call.get());
    }
    return Optional.of(calls);
  }

  private Optional<FunctionCall> toCall(JsonNode item) {
    if (!item.isObject() || !item.path("name").isTextual()) {
      return Optional.empty();
    }
    JsonNode args = item.has("arguments") ? item.get("arguments") : item.get("parameters");
    if (args == null || args.isNull()) {
      return Optional.of(new FunctionCall(item.get("name").asText(), mapper.createObjectNode()));
    }
    if (args.isTextual()) {
      // OpenAI-style tool calls carry the arguments as a JSON string.
      args = readJson(args.asText()).orElse(null);
    }
    if (args == null || !args.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new FunctionCall(item.get("name").asText(), (ObjectNode) args));
  }

  private static String unfenced(String text) {
    Matcher fence = FENCE.matcher(text);
    return fence.find() ? fence.group(1).strip() : text;
  }

  private Optional<JsonNode> readJson(String text) {
    try {
      return Optional.of(mapper.readTree(text));
    } catch (JsonProcessingException e) {
      // Tolerate words around the JSON: try the outermost list or object.
      int start = firstOf(text, '[', '{');
      int end = Math.max(text.lastIndexOf(']'), text.lastIndexOf('}'));
      if (start < 0 || end <= start || (start == 0 && end == text.length() - 1)) {
        return Optional.empty();
      }
      try {
        return Optional.of(mapper.readTree(text.substring(start, end + 1)));
      } catch (JsonProcessingException again) {
        return Optional.empty();
      }
    }
  }

  private static int firstOf(String text, char a, char b) {
    int i = text.indexOf(a);
    int j = text.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
