package dev.languageranker.demo;

import dev.languageranker.generator.TaskPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Multi-step arithmetic word problems: a person starts with some items, then 2 or 3 events change the count
 * (buying more, giving some away, buying bags of several, losing some). The worked solution writes one equation per
 * step and ends with {@code \boxed{answer}}; the reference is the answer as an integer string.
 */
public final class MathProblemGenerator {

  /** The generator's math prompt: the demo model learns the wording the service sends. */
  public static final String SYSTEM = TaskPrompts.MATH_SYSTEM;

  private static final String[] NAMES = {
      "Tom", "Ana", "Li", "Sam", "Maya", "Omar", "Zoe", "Ben", "Ivy", "Raj", "Eva", "Max", "Nia", "Leo", "Kim", "Ada"
  };
  private static final String[] ITEMS = {
      "apples", "books", "coins", "stickers", "pens", "marbles", "cards", "eggs", "shells", "stamps", "cookies", "toys"
  };

  /** Draws one problem. */
  public DemoProblem next(Random random) {
    String name = NAMES[random.nextInt(NAMES.length)];
    String item = ITEMS[random.nextInt(ITEMS.length)];
    int count = 5 + random.nextInt(46);
    StringBuilder question = new StringBuilder(name + " has " + count + " " + item + ".");
    List<String> steps = new ArrayList<>();
    int events = 2 + random.nextInt(2);
    for (int e = 0; e < events; e++) {
      int kind = random.nextInt(4);
      if (kind == 0) {
        int n = 2 + random.nextInt(39);
        question.append(" Then ").append(name).append(" buys ").append(n).append(" more.");
        steps.add(count + " + " + n + " = " + (count + n));
        count += n;
      } else if (kind == 1 && count > 3) {
        int n = 1 + random.nextInt(Math.min(count - 1, 30));
        question.append(" Then ").append(name).append(" gives away ").append(n).append(".");
        steps.add(count + " - " + n + " = " + (count - n));
        count -= n;
      } else if (kind == 2) {
        int bags = 2 + random.nextInt(4);
        int each = 2 + random.nextInt(8);
        question.append(" Then ").append(name).append(" gets ").append(bags).append(" bags with ").append(each)
            .append(" each.");
        steps.add(bags + " * " + each + " = " + (bags * each));
        steps.add(count + " + " + (bags * each) + " = " + (count + bags * each));
        count += bags * each;
      } else {
        int n = 1 + random.nextInt(Math.max(1, Math.min(count - 1, 20)));
        if (n >= count) {
          n = 0;
        }
        question.append(" Then ").append(name).append(" loses ").append(n).append(".");
        steps.add(count + " - " + n + " = " + (count - n));
        count -= n;
      }
    }
    question.append(" How many ").append(item).append(" does ").append(name).append(" have now?");
    String solution = String.join("\n", steps) + "\nThe answer is \\boxed{" + count + "}";
    return new DemoProblem(DemoTask.MATH, SYSTEM, question.toString(), solution, Integer.toString(count));
  }
}
