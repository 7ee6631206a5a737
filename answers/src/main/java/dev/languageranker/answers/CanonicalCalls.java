package dev.languageranker.answers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The canonical JSON of a list of function calls, used as its answer key: keys sorted, numbers by value, calls in a
 * fixed order (parallel calls are unordered), so equal call lists have equal keys.
 */
public final class CanonicalCalls {
  private final ObjectMapper mapper;

  public CanonicalCalls(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public String keyOf(List<FunctionCall> calls) {
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
      List<String> names = new ArrayList<>();
      value.fieldNames().forEachRemaining(names::add);
      new TreeSet<>(names).forEach(name -> sorted.set(name, canonical(value.get(name))));
      return sorted;
    }
    if (value.isArray()) {
      ArrayNode array = mapper.createArrayNode();
      value.forEach(v -> array.add(canonical(v)));
      return array;
    }
    if (value.isNumber()) {
      // Plain digits, so 1000, 1000.0 and 1E+3 share one key.
      return DecimalNode.valueOf(new BigDecimal(value.decimalValue().stripTrailingZeros().toPlainString()));
    }
    return value;
  }

  private String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
