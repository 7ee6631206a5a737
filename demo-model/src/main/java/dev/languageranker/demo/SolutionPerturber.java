package dev.languageranker.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Writes a flawed version of a problem's worked solution, with the kinds of slips a small model makes when it samples:
 * math with a wrong sum, a miscopied number, the wrong operation, a skipped or repeated event, a wrong start or final
 * answer, or a solution cut short; function calls with a wrong argument value, a number off, swapped currencies, the
 * wrong function, a call missing or added, an argument missing, or JSON cut short. Later steps build on the slip, as a
 * model's own continuation would. The result is usually, not always, wrong: callers label it with the checker.
 */
public final class SolutionPerturber {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_UNIT = "fahrenheit";
  private static final String DEFAULT_CURRENCY = "USD";
  private static final String[] FUNCTIONS = {"get_weather", "convert_currency", "set_timer", "send_message"};

  /** A flawed version of {@code problem}'s target response. */
  public String perturb(DemoProblem problem, Random random) {
    return problem.task() == DemoTask.MATH ? perturbMath(problem.targetResponse(), random)
        : perturbCalls(problem.targetResponse(), random);
  }

  /**
   * The problem's worked solution with this model's one habitual mistake, if the problem has a place for it: math
   * reads the first event that takes items away (giving away, losing) as adding them, and carries the wrong count on;
   * calls fall back to a default: the first weather call asked in celsius is written in fahrenheit, or the first
   * conversion to another currency converts to USD, whichever call comes first. The mistake is deterministic, so a
   * model that learns it as text puts all of its doubt on one wrong reading, which vote counting and output
   * probabilities cannot tell from the right one, while a check against the question can. It only goes one way (a
   * subtraction becomes an addition, never the reverse; only a non-default value falls back), so writing still
   * needs what the question says, and the model has what it needs to check what it wrote.
   */
  public Optional<String> habitualMistake(DemoProblem problem) {
    return problem.task() == DemoTask.MATH ? mathHabit(problem.targetResponse())
        : callHabit(problem.targetResponse());
  }

  private static Optional<String> mathHabit(String solution) {
    String[] lines = solution.split("\n");
    StringBuilder out = new StringBuilder();
    boolean misread = false;
    int count = 0;
    for (int i = 0; i < lines.length - 1; i++) {
      String[] terms = lines[i].split(" ");
      int a = Integer.parseInt(terms[0]);
      char op = terms[1].charAt(0);
      int b = Integer.parseInt(terms[2]);
      if (op == '*') {
        // a bag line: the product does not depend on the count so far
        out.append(lines[i]).append('\n');
        continue;
      }
      int from = i == 0 || !misread ? a : count;
      if (op == '-' && !misread) {
        op = '+';
        misread = true;
      }
      count = op == '+' ? from + b : from - b;
      out.append(from).append(' ').append(op).append(' ').append(b).append(" = ").append(count).append('\n');
    }
    return misread ? Optional.of(out.append("The answer is \\boxed{").append(count).append('}').toString())
        : Optional.empty();
  }

  private static Optional<String> callHabit(String json) {
    try {
      ArrayNode calls = (ArrayNode) JSON.readTree(json);
      for (JsonNode call : calls) {
        ObjectNode arguments = (ObjectNode) call.get("arguments");
        String function = call.get("name").asText();
        if (function.equals("get_weather") && !arguments.get("unit").asText().equals(DEFAULT_UNIT)) {
          arguments.put("unit", DEFAULT_UNIT);
          return Optional.of(FunctionCallProblemGenerator.format(calls));
        }
        if (function.equals("convert_currency") && !arguments.get("target").asText().equals(DEFAULT_CURRENCY)) {
          arguments.put("target", DEFAULT_CURRENCY);
          return Optional.of(FunctionCallProblemGenerator.format(calls));
        }
      }
      return Optional.empty();
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("Not a list of calls: " + json, e);
    }
  }

  // ---- math ----

  /** One event of a worked math solution: add, subtract, or add bags x each. */
  private record MathStep(char op, int first, int second) {}

  String perturbMath(String solution, Random random) {
    String[] lines = solution.split("\n");
    int start = -1;
    List<MathStep> steps = new ArrayList<>();
    for (int i = 0; i < lines.length - 1; i++) {
      String[] terms = lines[i].split(" ");
      int a = Integer.parseInt(terms[0]);
      int b = Integer.parseInt(terms[2]);
      char op = terms[1].charAt(0);
      if (op == '*') {
        steps.add(new MathStep('*', a, b));
        if (start < 0) {
          start = Integer.parseInt(lines[i + 1].split(" ")[0]);
        }
        i++;
      } else {
        steps.add(new MathStep(op, b, 0));
        if (start < 0) {
          start = a;
        }
      }
    }
    int fault = random.nextInt(16);
    int target = random.nextInt(steps.size());
    if (fault < 4) {
      // Now and then only the line is wrong and the chain goes on from the right value (the answer stays right).
      return renderMath(start, steps, target, random.nextInt(8) == 0 ? target : -1, slip(random), 0, random);
    }
    if (fault < 7) {
      MathStep step = steps.get(target);
      steps.set(target, step.op() == '*' ? new MathStep('*', step.first(), Math.max(1, step.second() + slip(random)))
          : new MathStep(step.op(), Math.max(0, step.first() + slip(random)), 0));
    } else if (fault < 9) {
      MathStep step = steps.get(target);
      steps.set(target, switch (step.op()) {
        case '+' -> new MathStep('-', step.first(), 0);
        case '-' -> new MathStep('+', step.first(), 0);
        default -> random.nextBoolean() ? new MathStep('+', step.first() + step.second(), 0)
            : new MathStep('-', step.first() * step.second(), 0);
      });
    } else if (fault < 11) {
      if (steps.size() > 1) {
        steps.remove(target);
      } else {
        steps.add(steps.get(target));
      }
    } else if (fault == 11) {
      steps.add(target, steps.get(target));
    } else if (fault == 12) {
      start = Math.max(1, start + slip(random));
    } else if (fault < 15) {
      return renderMath(start, steps, -1, -1, 0, slip(random), random);
    } else {
      String full = renderMath(start, steps, -1, -1, 0, 0, random);
      return full.substring(0, full.lastIndexOf('\n'));
    }
    return renderMath(start, steps, -1, -1, 0, 0, random);
  }

  /**
   * Writes the steps from {@code start}; the result of step {@code slipStep} is off by {@code slip} (and the next steps
   * continue from the wrong value, unless {@code isolatedStep} is that step: then only that line's sum is wrong, the
   * chain is not), and the boxed answer is off by {@code finalSlip}.
   */
  private static String renderMath(int start, List<MathStep> steps, int slipStep, int isolatedStep, int slip,
      int finalSlip, Random random) {
    StringBuilder out = new StringBuilder();
    int count = start;
    for (int i = 0; i < steps.size(); i++) {
      MathStep step = steps.get(i);
      int wrong = i == slipStep ? slip : 0;
      if (step.op() == '*') {
        int product = step.first() * step.second();
        boolean onProduct = wrong != 0 && random.nextBoolean();
        int shownProduct = onProduct ? Math.max(0, product + wrong) : product;
        out.append(step.first()).append(" * ").append(step.second()).append(" = ").append(shownProduct).append('\n');
        int carried = onProduct && i != isolatedStep ? shownProduct : product;
        int sum = count + carried;
        int shownSum = !onProduct && wrong != 0 ? Math.max(0, sum + wrong) : sum;
        out.append(count).append(" + ").append(carried).append(" = ").append(shownSum).append('\n');
        count = i == isolatedStep ? sum : shownSum;
      } else {
        int result = step.op() == '+' ? count + step.first() : count - step.first();
        int shown = Math.max(0, result + wrong);
        out.append(count).append(' ').append(step.op()).append(' ').append(step.first()).append(" = ").append(shown)
            .append('\n');
        count = i == isolatedStep ? result : shown;
      }
    }
    return out.append("The answer is \\boxed{").append(Math.max(0, count + finalSlip)).append('}').toString();
  }

  /** A small nonzero error: off by one or two, by ten, or by a few. */
  private static int slip(Random random) {
    int size = switch (random.nextInt(4)) {
      case 0 -> 1;
      case 1 -> 2;
      case 2 -> 10;
      default -> 3 + random.nextInt(7);
    };
    return random.nextBoolean() ? size : -size;
  }

  // ---- function calls ----

  String perturbCalls(String json, Random random) {
    try {
      ArrayNode calls = (ArrayNode) JSON.readTree(json);
      ObjectNode call = (ObjectNode) calls.get(random.nextInt(calls.size()));
      ObjectNode arguments = (ObjectNode) call.get("arguments");
      int fault = random.nextInt(12);
      if (fault < 4) {
        changeTextArgument(call.get("name").asText(), arguments, random);
      } else if (fault < 6 && hasNumber(arguments)) {
        String key = arguments.has("amount") ? "amount" : "minutes";
        arguments.put(key, Math.max(1, arguments.get(key).asInt() + slip(random)));
      } else if (fault == 6 && arguments.has("source")) {
        JsonNode source = arguments.get("source");
        arguments.set("source", arguments.get("target"));
        arguments.set("target", source);
      } else if (fault == 7) {
        String name = call.get("name").asText();
        String other = name;
        while (other.equals(name)) {
          other = FUNCTIONS[random.nextInt(FUNCTIONS.length)];
        }
        call.put("name", other);
      } else if (fault == 8) {
        if (calls.size() > 1) {
          calls.remove(random.nextInt(calls.size()));
        } else {
          ObjectNode copy = call.deepCopy();
          changeTextArgument(copy.get("name").asText(), (ObjectNode) copy.get("arguments"), random);
          calls.add(copy);
        }
      } else if (fault == 9) {
        Iterator<String> names = arguments.fieldNames();
        List<String> keys = new ArrayList<>();
        names.forEachRemaining(keys::add);
        arguments.remove(keys.get(random.nextInt(keys.size())));
      } else if (fault == 10) {
        String full = FunctionCallProblemGenerator.format(calls);
        return full.substring(0, 5 + random.nextInt(full.length() - 6));
      } else {
        changeTextArgument(call.get("name").asText(), arguments, random);
        if (hasNumber(arguments)) {
          String key = arguments.has("amount") ? "amount" : "minutes";
          arguments.put(key, Math.max(1, arguments.get(key).asInt() + slip(random)));
        }
      }
      return FunctionCallProblemGenerator.format(calls);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException("Not a list of calls: " + json, e);
    }
  }

  private static boolean hasNumber(ObjectNode arguments) {
    return arguments.has("amount") || arguments.has("minutes");
  }

  /** Replaces one text argument by another value of its kind (a different city, unit, currency, ...). */
  private static void changeTextArgument(String function, ObjectNode arguments, Random random) {
    String[][] choices = switch (function) {
      case "get_weather" -> new String[][]{{"city"}, FunctionCallProblemGenerator.CITIES, {"unit"},
          FunctionCallProblemGenerator.UNITS};
      case "convert_currency" -> new String[][]{{"source"}, FunctionCallProblemGenerator.CURRENCIES, {"target"},
          FunctionCallProblemGenerator.CURRENCIES};
      case "set_timer" -> new String[][]{{"label"}, FunctionCallProblemGenerator.LABELS, {"label"},
          FunctionCallProblemGenerator.LABELS};
      default -> new String[][]{{"to"}, FunctionCallProblemGenerator.PEOPLE, {"text"},
          FunctionCallProblemGenerator.TEXTS};
    };
    int pick = random.nextInt(2) * 2;
    String key = choices[pick][0];
    String[] values = choices[pick + 1];
    String current = arguments.path(key).asText();
    String replacement = current;
    while (replacement.equals(current)) {
      replacement = values[random.nextInt(values.length)];
    }
    arguments.put(key, replacement);
  }
}
