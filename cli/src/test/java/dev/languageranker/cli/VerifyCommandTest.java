package dev.languageranker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void printsOneVerdictPerLineInInputOrder(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, List.of(
        "{\"task\": \"math\", \"response\": \"so \\\\boxed{\\\\frac12}\", \"reference\": {\"answer\": \"0.5\"}}",
        "{\"task\": \"code\", \"response\": \"def add(a, b):\\n    return a - b\", \"reference\": {\"tests\": [\"assert add(1, 2) == 3\"]}}",
        "{\"task\": \"function\", \"response\": \"[{\\\"name\\\": \\\"f\\\", \\\"arguments\\\": {\\\"x\\\": 4}}]\", \"reference\": {\"calls\": [{\"f\": {\"x\": [5]}}]}}",
        "{\"task\": \"math\", \"response\": \"no idea\", \"reference\": {\"answer\": \"3\"}}"));

    int exit = run("verify", "--input", input.toString());

    List<JsonNode> lines = out.toString().lines().map(this::json).toList();
    assertEquals(0, exit, err.toString());
    assertEquals(List.of("correct", "fail", "incorrect", "unparseable"),
        lines.stream().map(l -> l.get("verdict").asText()).toList());
    assertEquals("1/2", lines.get(0).get("answerKey").asText());
    assertEquals(1.0, lines.get(0).get("score").asDouble());
    assertTrue(lines.get(1).get("detail").asText().contains("assert 1 failed"), lines.get(1).toString());
  }

  @Test
  void badLinesGetAnErrorInTheirPlaceAndAFailingExitStatus(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, List.of(
        "{not json",
        "{\"task\": \"poetry\", \"response\": \"x\", \"reference\": {}}",
        "{\"task\": \"code\", \"response\": \"x\", \"reference\": {\"tests\": []}}",
        "{\"task\": \"math\", \"response\": \"\\\\boxed{2}\", \"reference\": {\"answer\": \"2\"}}"));

    int exit = run("verify", "--input", input.toString());

    List<JsonNode> lines = out.toString().lines().map(this::json).toList();
    assertEquals(1, exit);
    assertEquals(4, lines.size());
    assertEquals(1, lines.get(0).get("line").asInt());
    assertTrue(lines.get(1).get("error").asText().contains("unknown task 'poetry'"), lines.get(1).toString());
    assertTrue(lines.get(2).get("error").asText().contains("non-empty \"tests\""), lines.get(2).toString());
    assertEquals("correct", lines.get(3).get("verdict").asText());
  }

  @Test
  void rejectsBadOptionsWithAMessage() {
    assertEquals(2, run("verify", "--jobs", "0"));
    assertTrue(err.toString().contains("--jobs must be between 1 and 64"), err.toString());
    assertEquals(2, run("verify", "--input", "/nonexistent/in.jsonl"));
    assertEquals(2, run("verify-datasets", "--data", "/nonexistent"));
    assertEquals(2, run("verify-datasets", "--sets", "imagenet"));
  }

  private JsonNode json(String line) {
    try {
      return mapper.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
