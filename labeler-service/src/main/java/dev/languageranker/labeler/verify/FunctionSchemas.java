package dev.languageranker.labeler.verify;

import dev.languageranker.answers.FunctionCall;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Function definitions (BFCL or JSON-schema style) used to normalize argument types: a string holding a number
 * becomes a number only where the schema says the parameter is numeric.
 */
public final class FunctionSchemas {

  private static final Set<String> NUMERIC_TYPES = Set.of("integer", "int", "number", "float", "double", "long");

  private final Map<String, JsonNode> parametersByFunction;

  private FunctionSchemas(Map<String, JsonNode> parametersByFunction) {
    this.parametersByFunction = parametersByFunction;
  }

  /** No definitions: no type is normalized. */
  public static FunctionSchemas none() {
    return new FunctionSchemas(Map.of());
  }

  /** Reads a JSON list of definitions (or a single one); null or blank means none. */
  public static FunctionSchemas parse(ObjectMapper mapper, String json) {
    if (json == null || json.isBlank()) {
      return none();
    }
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("function definitions are not valid JSON: " + e.getOriginalMessage());
    }
    Map<String, JsonNode> byName = new HashMap<>();
    Iterable<JsonNode> items = root.isArray() ? root : java.util.List.of(root);
    for (JsonNode item : items) {
      JsonNode definition = item.has("function") ? item.get("function") : item; // OpenAI tools wrap the definition
      if (!definition.path("name").isTextual()) {
        throw new IllegalArgumentException("a function definition has no name: " + item);
      }
      byName.put(definition.get("name").asText(), definition.path("parameters"));
    }
    return new FunctionSchemas(byName);
  }

  /** The call's arguments with numeric strings turned into numbers where the function's schema says number. */
  public ObjectNode normalizedArguments(FunctionCall call) {
    JsonNode parameters = parametersByFunction.get(call.name());
    ObjectNode copy = call.arguments().deepCopy();
    return parameters == null ? copy : (ObjectNode) normalize(copy, parameters);
  }

  private JsonNode normalize(JsonNode value, JsonNode schema) {
    String type = schema.path("type").asText("").toLowerCase(Locale.ROOT);
    if (value.isObject() && schema.has("properties")) {
      ObjectNode object = (ObjectNode) value;
      object.fields().forEachRemaining(e -> {
        JsonNode property = schema.get("properties").get(e.getKey());
        if (property != null) {
          e.setValue(normalize(e.getValue(), property));
        }
      });
      return object;
    }
    if (value.isArray() && schema.has("items")) {
      ArrayNode array = (ArrayNode) value;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, normalize(array.get(i), schema.get("items")));
      }
      return array;
    }
    if (value.isTextual() && NUMERIC_TYPES.contains(type)) {
      try {
        return DecimalNode.valueOf(new BigDecimal(value.asText().strip()));
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }
}
