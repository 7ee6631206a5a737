package dev.languageranker.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.languageranker.demo.BaseEvaluation;
import dev.languageranker.demo.DemoProblem;
import dev.languageranker.demo.DemoProblemSource;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.generator.runtime.ChatMessage;
import dev.languageranker.ranker.data.HoldoutSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Disjoint train and test problem sets of a task: the demo tasks' generators (train problems from the training side
 * of their text-hash split, test problems from the held-out side), or a JSONL file of prompts with references, split
 * by a stable hash of each line's prompt.
 */
public final class EvalProblemSets {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two sets of one task. */
  record Split(List<EvalProblem> train, List<EvalProblem> test) {}

  private EvalProblemSets() {}

  static Split demo(DemoTask task, int trainCount, int testCount, long seed) {
    DemoProblemSource source = new DemoProblemSource();
    Random random = new Random(seed * 1_000_003L + task.ordinal());
    List<EvalProblem> train = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int attempts = 0;
    while (train.size() < trainCount) {
      if (++attempts > 100 * trainCount + 1000) {
        throw new IllegalStateException(
            "the " + task.label() + " generator has fewer than " + trainCount + " distinct training problems");
      }
      DemoProblem problem = source.nextTrain(task, random);
      if (seen.add(problem.user())) {
        train.add(of(problem, "train-" + train.size()));
      }
    }
    List<EvalProblem> test = new ArrayList<>();
    for (DemoProblem problem : source.heldOut(task, testCount,
        BaseEvaluation.PROBLEM_SEED + 7919L * seed + task.ordinal())) {
      test.add(of(problem, "test-" + test.size()));
    }
    return new Split(train, test);
  }

  private static EvalProblem of(DemoProblem problem, String id) {
    return new EvalProblem(problem.task().label() + "-" + id, problem.task().label(), problem.messages(),
        problem.reference());
  }

  /**
   * Problems of a JSONL file, by task: each line {@code {"task": "math"|"function", "messages": [{"role", "content"}]
   * or "prompt": text, "reference": ...}}; a reference that is not a string (function calls) is kept as JSON. A line
   * is a test problem when the SHA-256 bucket of its prompt falls in the test share, so the sets never overlap.
   */
  static Map<String, Split> fromJsonl(Path file, int trainCount, int testCount) throws IOException {
    HoldoutSplit split = new HoldoutSplit((double) testCount / (trainCount + testCount));
    Map<String, List<EvalProblem>> train = new LinkedHashMap<>();
    Map<String, List<EvalProblem>> test = new LinkedHashMap<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        throw new IllegalArgumentException(file + " line " + lineNumber + " is not JSON: " + e.getMessage(), e);
      }
      String task = node.path("task").asText("");
      if (!task.equals("math") && !task.equals("function")) {
        throw new IllegalArgumentException(
            file + " line " + lineNumber + ": task must be math or function, got '" + task + "'");
      }
      List<ChatMessage> messages = new ArrayList<>();
      if (node.path("messages").isArray()) {
        node.get("messages")
            .forEach(m -> messages.add(new ChatMessage(m.path("role").asText(), m.path("content").asText())));
      } else if (node.path("prompt").isTextual()) {
        messages.add(ChatMessage.user(node.get("prompt").asText()));
      } else {
        throw new IllegalArgumentException(file + " line " + lineNumber + " has neither messages nor prompt");
      }
      JsonNode reference = node.get("reference");
      if (reference == null || reference.isNull()) {
        throw new IllegalArgumentException(file + " line " + lineNumber + " has no reference");
      }
      String key = messages.toString();
      String ref = reference.isTextual() ? reference.asText() : reference.toString();
      boolean isTest = split.isHoldout(key);
      Map<String, List<EvalProblem>> side = isTest ? test : train;
      List<EvalProblem> list = side.computeIfAbsent(task, t -> new ArrayList<>());
      if (list.size() < (isTest ? testCount : trainCount)) {
        list.add(new EvalProblem(task + "-" + (isTest ? "test-" : "train-") + list.size(), task, List.copyOf(messages),
            ref));
      }
    }
    Map<String, Split> splits = new LinkedHashMap<>();
    Set<String> tasks = new java.util.LinkedHashSet<>(train.keySet());
    tasks.addAll(test.keySet());
    for (String task : tasks) {
      splits.put(task, new Split(train.getOrDefault(task, List.of()), test.getOrDefault(task, List.of())));
    }
    return splits;
  }
}
