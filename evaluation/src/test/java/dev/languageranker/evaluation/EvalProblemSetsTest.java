package dev.languageranker.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.demo.DemoTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalProblemSetsTest {
  @TempDir Path dir;

  @Test
  void demoTrainAndTestProblemsAreDisjointAndDistinct() {
    EvalProblemSets.Split split = EvalProblemSets.demo(DemoTask.MATH, 200, 50, 1);
    Set<String> train = new HashSet<>();
    split.train().forEach(p -> train.add(p.messages().toString()));
    assertEquals(200, train.size());
    split.test().forEach(p -> assertTrue(!train.contains(p.messages().toString()), "test problem also in train: " + p));
  }

  @Test
  void aJsonlFileIsSplitByTaskWithoutOverlap() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      lines.add("{\"task\": \"math\", \"prompt\": \"What is " + i + " + 1?\", \"reference\": \"" + (i + 1) + "\"}");
    }
    lines.add("{\"task\": \"function\", \"messages\": [{\"role\": \"user\", \"content\": \"weather in Oslo\"}], "
        + "\"reference\": [{\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}]}");
    Path file = dir.resolve("prompts.jsonl");
    Files.write(file, lines);
    Map<String, EvalProblemSets.Split> splits = EvalProblemSets.fromJsonl(file, 40, 10);
    EvalProblemSets.Split math = splits.get("math");
    assertTrue(math.train().size() <= 40 && math.test().size() <= 10 && !math.test().isEmpty(),
        math.train().size() + "/" + math.test().size());
    Set<String> train = new HashSet<>();
    math.train().forEach(p -> train.add(p.messages().toString()));
    math.test().forEach(p -> assertTrue(!train.contains(p.messages().toString())));
    assertTrue(splits.containsKey("function"));
    Files.write(file, List.of("{\"task\": \"poetry\", \"prompt\": \"x\", \"reference\": \"y\"}"));
    assertThrows(IllegalArgumentException.class, () -> EvalProblemSets.fromJsonl(file, 40, 10));
  }
}
