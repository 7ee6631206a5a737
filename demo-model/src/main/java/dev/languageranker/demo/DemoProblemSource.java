package dev.languageranker.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws train or held-out problems. The split is a pure function of the problem's text (a hash bucket), so no
 * problem can be in both, whatever seeds draw them.
 */
public final class DemoProblemSource {

  private static final int TEST_BUCKETS = 10;
  private final MathProblemGenerator math = new MathProblemGenerator();
  private final FunctionCallProblemGenerator function = new FunctionCallProblemGenerator();

  /** Whether a problem belongs to the held-out split (one in ten by text hash). */
  public static boolean isHeldOut(DemoProblem problem) {
    String key = problem.task().label() + "|" + problem.user();
    // A fixed, platform-independent hash (String.hashCode is specified by the JLS).
    return Math.floorMod(key.hashCode() * 0x9E3779B1, 100) < TEST_BUCKETS;
  }

  /** The next training problem of a task, skipping held-out ones. */
  public DemoProblem nextTrain(DemoTask task, Random random) {
    while (true) {
      DemoProblem problem = draw(task, random);
      if (!isHeldOut(problem)) {
        return problem;
      }
    }
  }

  /** {@code count} distinct held-out problems of a task, the same for the same seed. */
  public List<DemoProblem> heldOut(DemoTask task, int count, long seed) {
    Random random = new Random(seed);
    List<DemoProblem> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (problems.size() < count) {
      DemoProblem problem = draw(task, random);
      if (isHeldOut(problem) && seen.add(problem.user())) {
        problems.add(problem);
      }
    }
    return problems;
  }

  private DemoProblem draw(DemoTask task, Random random) {
    return task == DemoTask.MATH ? math.next(random) : function.next(random);
  }
}
