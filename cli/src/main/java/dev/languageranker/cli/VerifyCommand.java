package dev.languageranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.labeler.verify.SandboxSettings;
import dev.languageranker.labeler.verify.TaskVerifiers;
import dev.languageranker.labeler.verify.Verification;
import dev.languageranker.labeler.verify.VerificationRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verify}: batch-verifies JSON lines from stdin outside Kafka, one JSON verdict per input line, in order. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Reads JSON lines {\"task\": \"math\"|\"code\"|\"function\", \"response\": \"...\", \"reference\": {...}} and prints one JSON verdict per line, in input order.",
        "reference: {\"answer\": \"...\"} (math), {\"tests\": [...], \"setup\": \"...\"} (code), {\"calls\": [...], \"functions\": [...]} (function calls; BFCL ground truth or plain calls).",
        "A line that cannot be read prints {\"line\": n, \"error\": \"...\"}; the exit status is then 1."
    })
public final class VerifyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", paramLabel = "FILE", description = "Read from FILE instead of stdin.") Path input;

  @Option(names = "--jobs", defaultValue = "2",
      description = "Verifications in parallel, and code sandboxes at once (default: ${DEFAULT-VALUE}).") int jobs;

  @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "Wall-clock limit of one code run (default: ${DEFAULT-VALUE}).") double timeoutSeconds;

  @Option(names = "--summary",
      description = "Print a JSON summary (counts by verdict, throughput) to stderr at the end.") boolean summary;

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (jobs < 1 || jobs > 64) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be between 1 and 64, was " + jobs);
    }
    if (!(timeoutSeconds > 0) || timeoutSeconds > 3600) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--timeout must be in (0, 3600] seconds, was " + timeoutSeconds);
    }
    if (input != null && !Files.isReadable(input)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--input " + input + " is not a readable file");
    }
    SandboxSettings sandbox = SandboxSettings.defaults()
        .withConcurrency(jobs)
        .withWallTimeout(Duration.ofMillis((long) (timeoutSeconds * 1000)))
        .withCpuSeconds((int) Math.max(1, Math.ceil(timeoutSeconds)));
    TaskVerifiers verifiers = TaskVerifiers.withSandbox(sandbox);
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Integer> counts = new TreeMap<>();
    int lines = 0;
    int invalid = 0;
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    // A bounded window of pending lines keeps the output in input order without holding the whole input in memory.
    Deque<Future<String>> window = new ArrayDeque<>();
    try (BufferedReader reader = input == null
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        lines++;
        int number = lines;
        String text = line;
        window.add(pool.submit(() -> verifyLine(number, text, verifiers)));
        if (window.size() >= jobs * 4) {
          invalid += emit(window.poll(), out, counts);
        }
      }
      while (!window.isEmpty()) {
        invalid += emit(window.poll(), out, counts);
      }
    } finally {
      pool.shutdownNow();
    }
    out.flush();
    if (summary) {
      double seconds = (System.nanoTime() - start) / 1e9;
      ObjectNode report = mapper.createObjectNode();
      report.put("lines", lines);
      report.put("invalid", invalid);
      report.set("verdicts", mapper.valueToTree(counts));
      report.put("seconds", Math.round(seconds * 1000) / 1000.0);
      report.put("perSecond", seconds > 0 ? Math.round(lines / seconds * 100) / 100.0 : 0);
      spec.commandLine().getErr().println(report);
      spec.commandLine().getErr().flush();
    }
    return invalid == 0 ? 0 : 1;
  }

  private int emit(Future<String> pending, PrintWriter out, Map<String, Integer> counts)
      throws InterruptedException, ExecutionException, JsonProcessingException {
    String json = pending.get();
    out.println(json);
    JsonNode node = mapper.readTree(json);
    String verdict = node.has("error") ? "invalid" : node.get("verdict").asText();
    counts.merge(verdict, 1, Integer::sum);
    return node.has("error") ? 1 : 0;
  }

  private String verifyLine(int number, String line, TaskVerifiers verifiers) throws JsonProcessingException {
    try {
      VerificationRequest request = VerificationRequest.fromJson(mapper.readTree(line));
      Verification v = verifiers.verify(request);
      ObjectNode result = mapper.createObjectNode();
      result.put("verdict", v.verdict().wireName());
      result.put("score", v.score());
      result.put("detail", v.detail());
      if (v.answerKey() != null) {
        result.put("answerKey", v.answerKey());
      }
      return mapper.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      return error(number, "not valid JSON: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      return error(number, e.getMessage());
    }
  }

  private String error(int number, String message) throws JsonProcessingException {
    ObjectNode error = mapper.createObjectNode();
    error.put("line", number);
    error.put("error", message);
    return mapper.writeValueAsString(error);
  }
}
