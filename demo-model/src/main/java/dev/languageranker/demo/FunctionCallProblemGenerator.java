package dev.languageranker.demo;

import dev.languageranker.generator.TaskPrompts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;

/**
 * Requests to call one or two of four functions (weather, currency conversion, timer, message). The target response
 * and the reference are the same JSON list of calls {@code [{"name": ..., "arguments": {...}}]}.
 */
public final class FunctionCallProblemGenerator {

  public static final String SYSTEM = TaskPrompts.FUNCTION_CALL_SYSTEM_PREFIX + "get_weather(city, unit), "
      + "convert_currency(amount, source, target), set_timer(minutes, label), send_message(to, text).";

  /** The demo model's four functions as definitions, for function-call prompts. */
  public static final String FUNCTIONS = "[{\"name\": \"get_weather\", \"parameters\": {\"properties\": "
      + "{\"city\": {}, \"unit\": {}}}}, {\"name\": \"convert_currency\", \"parameters\": {\"properties\": "
      + "{\"amount\": {}, \"source\": {}, \"target\": {}}}}, {\"name\": \"set_timer\", \"parameters\": "
      + "{\"properties\": {\"minutes\": {}, \"label\": {}}}}, {\"name\": \"send_message\", \"parameters\": "
      + "{\"properties\": {\"to\": {}, \"text\": {}}}}]";
  static final String[] CITIES = {
      "Paris", "Tokyo", "Lima", "Oslo", "Cairo", "Delhi", "Rome", "Berlin", "Madrid", "Seoul", "Quito", "Dakar"
  };
  static final String[] UNITS = {"celsius", "fahrenheit"};
  static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CHF", "INR"};
  static final String[] LABELS = {"tea", "pasta", "laundry", "study", "bread", "nap", "eggs"};
  static final String[] PEOPLE = {"Maya", "Omar", "Zoe", "Ben", "Ivy", "Raj", "Eva", "Leo"};
  static final String[] TEXTS = {"see you soon", "call me", "running late", "happy birthday", "on my way"};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Draws one problem with one call, or two joined by "and" a third of the time. */
  public DemoProblem next(Random random) {
    ArrayNode calls = JSON.createArrayNode();
    StringBuilder request = new StringBuilder();
    int count = random.nextInt(3) == 0 ? 2 : 1;
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        request.append(" Also ");
      }
      request.append(call(random, calls.addObject(), i > 0));
    }
    try {
      String json = format(calls);
      return new DemoProblem(DemoTask.FUNCTION, SYSTEM, request.toString(), json, json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The calls as the target responses write them: compact JSON with a space after each comma and colon. */
  static String format(ArrayNode calls) throws com.fasterxml.jackson.core.JsonProcessingException {
    return JSON.writeValueAsString(calls).replace(",\"", ", \"").replace("\":", "\": ");
  }

  private static String call(Random random, ObjectNode call, boolean lowerCase) {
    ObjectNode arguments;
    String sentence;
    switch (random.nextInt(4)) {
      case 0 -> {
        String city = pick(random, CITIES);
        String unit = pick(random, UNITS);
        call.put("name", "get_weather");
        arguments = call.putObject("arguments");
        arguments.put("city", city);
        arguments.put("unit", unit);
        sentence = random.nextBoolean()
            ? "What is the weather in " + city + " in " + unit + "?"
            : "Tell me the weather for " + city + " in " + unit + ".";
      }
      case 1 -> {
        int amount = 1 + random.nextInt(999);
        String source = pick(random, CURRENCIES);
        String target = pick(random, CURRENCIES);
        while (target.equals(source)) {
          target = pick(random, CURRENCIES);
        }
        call.put("name", "convert_currency");
        arguments = call.putObject("arguments");
        arguments.put("amount", amount);
        arguments.put("source", source);
        arguments.put("target", target);
        sentence = random.nextBoolean()
            ? "Convert " + amount + " " + source + " to " + target + "."
            : "How much is " + amount + " " + source + " in " + target + "?";
      }
      case 2 -> {
        int minutes = 1 + random.nextInt(90);
        String label = pick(random, LABELS);
        call.put("name", "set_timer");
        arguments = call.putObject("arguments");
        arguments.put("minutes", minutes);
        arguments.put("label", label);
        sentence = random.nextBoolean()
            ? "Set a timer for " + minutes + " minutes for " + label + "."
            : "Start a " + label + " timer of " + minutes + " minutes.";
      }
      default -> {
        String to = pick(random, PEOPLE);
        String text = pick(random, TEXTS);
        call.put("name", "send_message");
        arguments = call.putObject("arguments");
        arguments.put("to", to);
        arguments.put("text", text);
        sentence = random.nextBoolean()
            ? "Send " + to + " a message saying " + text + "."
            : "Text " + to + ": " + text + ".";
      }
    }
    return lowerCase ? Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1) : sentence;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
