package dev.languageranker.answers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One function call made by a response.
 *
 * @param name the function's name
 * @param arguments the arguments by name
 */
public record FunctionCall(String name, ObjectNode arguments) {
  public FunctionCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }
}
