package dev.languageranker.labeler.verify;

import dev.languageranker.answers.BoxedAnswerExtractor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the shared real data sets (GSM8K, MATH, MBPP, BFCL v3) from the data directory described in its README. */
public final class ReferenceDataSets {

  /** The BFCL v3 categories with ground truth. */
  public static final List<String> BFCL_CATEGORIES = List.of("simple", "multiple", "parallel", "parallel_multiple");

  private final Path root;
  private final ObjectMapper mapper = new ObjectMapper();
  private final BoxedAnswerExtractor extractor = new BoxedAnswerExtractor();

  public ReferenceDataSets(Path root) {
    this.root = root;
  }

  /** Whether the directory holds all four data sets. */
  public boolean available() {
    return Files.isRegularFile(root.resolve("gsm8k/train.jsonl"))
        && Files.isRegularFile(root.resolve("math/test_4500.jsonl"))
        && Files.isRegularFile(root.resolve("mbpp/mbpp.jsonl"))
        && Files.isDirectory(root.resolve("bfcl/possible_answer"));
  }

  public List<MathProblem> gsm8k() {
    List<MathProblem> problems = new ArrayList<>();
    List<JsonNode> lines = jsonLines(root.resolve("gsm8k/train.jsonl"));
    for (int i = 0; i < lines.size(); i++) {
      String solution = lines.get(i).get("answer").asText();
      problems
          .add(new MathProblem("gsm8k:" + i, solution, solution.substring(solution.lastIndexOf("####") + 4).strip()));
    }
    return problems;
  }

  public List<MathProblem> math() {
    List<MathProblem> problems = new ArrayList<>();
    for (JsonNode line : jsonLines(root.resolve("math/test_4500.jsonl"))) {
      String solution = line.get("solution").asText();
      String id = "math:" + line.get("idx").asText();
      problems.add(new MathProblem(id, solution,
          extractor.extract(solution).orElseThrow(() -> new IllegalStateException(id + " has no boxed answer"))));
    }
    return problems;
  }

  public List<CodeProblem> mbpp() {
    List<CodeProblem> problems = new ArrayList<>();
    for (JsonNode line : jsonLines(root.resolve("mbpp/mbpp.jsonl"))) {
      List<String> tests = new ArrayList<>();
      line.get("test_list").forEach(t -> tests.add(t.asText()));
      problems.add(new CodeProblem(line.get("task_id").asInt(), line.get("code").asText(), tests,
          line.path("test_setup_code").asText("")));
    }
    return problems;
  }

  /** The problems of one BFCL category, joined with their ground truth by id. */
  public List<FunctionCallProblem> bfcl(String category) {
    Map<String, JsonNode> truth = new HashMap<>();
    for (JsonNode line : jsonLines(root.resolve("bfcl/possible_answer/BFCL_v3_" + category + ".json"))) {
      truth.put(line.get("id").asText(), line.get("ground_truth"));
    }
    List<FunctionCallProblem> problems = new ArrayList<>();
    for (JsonNode line : jsonLines(root.resolve("bfcl/BFCL_v3_" + category + ".json"))) {
      String id = line.get("id").asText();
      JsonNode answer = truth.get(id);
      if (answer != null) {
        problems.add(new FunctionCallProblem(id, line.get("function").toString(), answer.toString()));
      }
    }
    return problems;
  }

  private List<JsonNode> jsonLines(Path file) {
    List<JsonNode> nodes = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          nodes.add(mapper.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return nodes;
  }
}
