package dev.languageranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.events.ChatMessage;
import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Reference;
import dev.languageranker.events.SamplingParams;
import dev.languageranker.events.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON format of prompts given to {@code produce} (one per line) and of {@code ask --reference}: a prompt with
 * its optional reference. Every problem is an {@link IllegalArgumentException} whose message names the field.
 *
 * <pre>
 * {"task": "math", "text": "Tom has 5 apples ...", "reference": {"answer": "12"}}
 * {"task": "function", "text": "Weather in Oslo in celsius?", "functions": [{"name": "get_weather", ...}],
 *  "reference": {"expectedCalls": [{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "celsius"}}]}}
 * {"requestId": "r-1", "task": "code", "messages": [{"role": "user", "content": "..."}], "k": 10,
 *  "rankerId": "default", "rankerVersion": 3, "maxNewTokens": 256, "temperature": 1.0, "seed": 7,
 *  "metadata": {"user": "u1"}, "reference": {"tests": ["assert f(1) == 2"], "testSetup": "import math"}}
 * </pre>
 */
public record PromptInput(PromptRequest prompt, Reference reference) {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROMPT_FIELDS = Set.of("requestId", "task", "text", "messages", "functions",
      "rankerId", "rankerVersion", "k", "maxNewTokens", "temperature", "topP", "topK", "seed", "metadata",
      "reference");
  private static final Set<String> REFERENCE_FIELDS = Set.of("answer", "tests", "testSetup", "expectedCalls",
      "functions", "question");

  /** Reads one line of the JSON-lines format. */
  static PromptInput parseLine(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return of(node);
  }

  static PromptInput of(JsonNode node) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!PROMPT_FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "' (known: " + String.join(", ",
            new java.util.TreeSet<>(PROMPT_FIELDS)) + ")");
      }
    }
    Task task = task(text(node, "task", "math"));
    String requestId = text(node, "requestId", UUID.randomUUID().toString());
    PromptRequest.Builder prompt = PromptRequest.newBuilder().setRequestId(requestId).setTask(task)
        .setCreatedAt(Instant.now()).setRankerId(text(node, "rankerId", "default"));
    List<ChatMessage> messages = new ArrayList<>();
    if (node.has("messages")) {
      if (!node.get("messages").isArray()) {
        throw new IllegalArgumentException("messages must be a list of {\"role\", \"content\"}");
      }
      for (JsonNode m : node.get("messages")) {
        if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
          throw new IllegalArgumentException("each message needs a text role and content");
        }
        messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
      }
    }
    String text = node.has("text") ? node.get("text").asText() : null;
    if ((text == null || text.isBlank()) && messages.isEmpty()) {
      throw new IllegalArgumentException("a prompt needs a text or messages");
    }
    prompt.setText(text).setMessages(messages);
    String functions = jsonOrText(node.get("functions"));
    if (task == Task.FUNCTION_CALL && functions == null) {
      throw new IllegalArgumentException("a function prompt needs its functions (a JSON list of definitions)");
    }
    prompt.setFunctions(functions);
    if (node.has("rankerVersion")) {
      prompt.setRankerVersion(number(node, "rankerVersion").longValue());
    }
    if (node.has("k")) {
      int k = number(node, "k").intValue();
      if (k < 1) {
        throw new IllegalArgumentException("k must be at least 1");
      }
      prompt.setK(k);
    }
    if (node.has("maxNewTokens") || node.has("temperature") || node.has("topP") || node.has("topK")
        || node.has("seed")) {
      SamplingParams.Builder sampling = SamplingParams.newBuilder();
      if (node.has("maxNewTokens")) {
        sampling.setMaxNewTokens(number(node, "maxNewTokens").intValue());
      }
      if (node.has("temperature")) {
        sampling.setTemperature(number(node, "temperature").doubleValue());
      }
      if (node.has("topP")) {
        sampling.setTopP(number(node, "topP").doubleValue());
      }
      if (node.has("topK")) {
        sampling.setTopK(number(node, "topK").intValue());
      }
      if (node.has("seed")) {
        sampling.setSeed(number(node, "seed").longValue());
      }
      prompt.setSampling(sampling.build());
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    if (node.has("metadata")) {
      if (!node.get("metadata").isObject()) {
        throw new IllegalArgumentException("metadata must be an object of strings");
      }
      node.get("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
    }
    prompt.setMetadata(metadata);
    PromptRequest built = prompt.build();
    Reference reference = node.has("reference") ? reference(node.get("reference"), built) : null;
    return new PromptInput(built, reference);
  }

  /** A reference for {@code prompt} from its JSON ({@code answer}, {@code tests}, {@code expectedCalls}, ...). */
  static Reference reference(JsonNode node, PromptRequest prompt) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("reference must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
      String name = names.next();
      if (!REFERENCE_FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown reference field '" + name + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(REFERENCE_FIELDS)) + ")");
      }
    }
    List<String> tests = new ArrayList<>();
    if (node.has("tests")) {
      if (!node.get("tests").isArray()) {
        throw new IllegalArgumentException("reference tests must be a list of assert statements");
      }
      node.get("tests").forEach(t -> tests.add(t.asText()));
    }
    String answer = node.has("answer") ? node.get("answer").asText() : null;
    String expectedCalls = jsonOrText(node.get("expectedCalls"));
    if (answer == null && tests.isEmpty() && expectedCalls == null) {
      throw new IllegalArgumentException("reference needs an answer, tests or expectedCalls");
    }
    String functions = node.has("functions") ? jsonOrText(node.get("functions")) : prompt.getFunctions();
    // The math verifier reads the question for whether it fixes the order of a list answer.
    String question = node.has("question") ? node.get("question").asText()
        : prompt.getTask() == Task.MATH ? askedQuestion(prompt) : null;
    return Reference.newBuilder().setRequestId(prompt.getRequestId()).setTask(prompt.getTask()).setAnswer(answer)
        .setQuestion(question)
        .setTests(tests).setTestSetup(node.has("testSetup") ? node.get("testSetup").asText() : null)
        .setExpectedCalls(expectedCalls).setFunctions(functions).setCreatedAt(Instant.now()).build();
  }

  /** The prompt's text, or its last user message; null when it has neither. */
  private static String askedQuestion(PromptRequest prompt) {
    if (prompt.getText() != null && !prompt.getText().isBlank()) {
      return prompt.getText();
    }
    String last = null;
    for (dev.languageranker.events.ChatMessage message : prompt.getMessages()) {
      if ("user".equals(message.getRole())) {
        last = message.getContent();
      }
    }
    return last;
  }

  /** math, code, function (or function_call), general; case-insensitive. */
  static Task task(String name) {
    return switch (name.toLowerCase()) {
      case "math" -> Task.MATH;
      case "code" -> Task.CODE;
      case "function", "function_call", "function-call" -> Task.FUNCTION_CALL;
      case "general" -> Task.GENERAL;
      default -> throw new IllegalArgumentException("unknown task '" + name + "' (math, code, function, general)");
    };
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static Number number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return value.numberValue();
  }

  private static String jsonOrText(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isTextual() ? value.asText() : value.toString();
  }
}
