package dev.languageranker.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Task;
import dev.languageranker.generator.runtime.ChatMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The task prompt templates (the formats the verifiers rely on): a prompt's text becomes a system and a user
 * message for its task; a prompt that brings its own messages is used as it is. The math and function-calling
 * wordings are the ones the demo model was trained on, so that the demo model answers in the verifiable format.
 */
public final class TaskPrompts {

  /** Math: step by step, final answer as \boxed{X} (the demo model learnt this wording). */
  public static final String MATH_SYSTEM = "You are a math expert. Solve step by step; end with the answer as \\boxed{X}.";
  public static final String CODE_SYSTEM = "You are an expert Python programmer. Write the function the task asks "
      + "for, so that the example test passes. Put the code alone between a line #START OF CODE and a line "
      + "#END OF CODE.";
  /** Function calling: followed by the signatures of the allowed functions, as the demo model was trained. */
  public static final String FUNCTION_CALL_SYSTEM_PREFIX = "Reply only with a JSON list of calls to: ";
  public static final String GENERAL_SYSTEM = "You are a helpful assistant. Follow the instruction and answer it "
      + "well.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TaskPrompts() {}

  /** The conversation to render with the model's chat template. */
  public static List<ChatMessage> messages(PromptRequest request) {
    Task task = request.getTask();
    if (task == null || task == Task.UNKNOWN) {
      // Downstream, the task picks the verifier and answer extractor: a prompt without one cannot be ranked.
      throw new UnservablePromptException("unknown task " + task + "; expected MATH, CODE, FUNCTION_CALL or GENERAL");
    }
    if (!request.getMessages().isEmpty()) {
      List<ChatMessage> given = new ArrayList<>();
      for (dev.languageranker.events.ChatMessage m : request.getMessages()) {
        given.add(new ChatMessage(m.getRole(), m.getContent()));
      }
      if (given.stream().allMatch(m -> m.content().isBlank())) {
        throw new UnservablePromptException("all messages are empty");
      }
      return given;
    }
    String text = request.getText();
    if (text == null || text.isBlank()) {
      throw new UnservablePromptException("empty prompt: no text and no messages");
    }
    String system = switch (task) {
      case MATH -> MATH_SYSTEM;
      case CODE -> CODE_SYSTEM;
      case FUNCTION_CALL -> functionCallSystem(request.getFunctions());
      case GENERAL -> GENERAL_SYSTEM;
      default -> throw new UnservablePromptException("unknown task " + task + "; expected MATH, CODE, "
          + "FUNCTION_CALL or GENERAL");
    };
    return List.of(ChatMessage.system(system), ChatMessage.user(text));
  }

  /**
   * The function-calling system message: the allowed functions as signatures {@code name(arg, ...)}, read from a
   * JSON list of definitions ({@code {"name", "parameters": {"properties": {...}}}}, optionally wrapped as
   * {@code {"type": "function", "function": {...}}}).
   */
  static String functionCallSystem(String functions) {
    if (functions == null || functions.isBlank()) {
      throw new UnservablePromptException("FUNCTION_CALL prompt without a function list");
    }
    JsonNode list;
    try {
      list = JSON.readTree(functions);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UnservablePromptException("functions is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!list.isArray() || list.isEmpty()) {
      throw new UnservablePromptException("functions must be a non-empty JSON list of function definitions");
    }
    List<String> signatures = new ArrayList<>();
    for (JsonNode definition : list) {
      JsonNode function = definition.has("function") ? definition.get("function") : definition;
      String name = function.path("name").asText("");
      if (name.isBlank()) {
        throw new UnservablePromptException("a function definition has no name: " + definition);
      }
      List<String> arguments = new ArrayList<>();
      Iterator<String> names = function.path("parameters").path("properties").fieldNames();
      names.forEachRemaining(arguments::add);
      signatures.add(name + "(" + String.join(", ", arguments) + ")");
    }
    return FUNCTION_CALL_SYSTEM_PREFIX + String.join(", ", signatures) + ".";
  }
}
