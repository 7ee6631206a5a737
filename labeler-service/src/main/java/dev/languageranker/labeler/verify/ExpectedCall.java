package dev.languageranker.labeler.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;
import java.util.Objects;

/**
 * One expected call in BFCL ground-truth form: for each argument the list of accepted values, where {@code ""} in
 * the list means the argument may be omitted; nested objects carry accepted-value lists the same way.
 *
 * @param name the function's name
 * @param acceptedValues the accepted values per argument
 */
public record ExpectedCall(String name, Map<String, ArrayNode> acceptedValues) {
  public ExpectedCall {
    Objects.requireNonNull(name, "name");
    acceptedValues = Map.copyOf(acceptedValues);
  }
}
