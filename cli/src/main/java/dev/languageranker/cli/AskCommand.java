package dev.languageranker.cli;

import dev.languageranker.cli.common.DurationConverter;
import dev.languageranker.cli.common.ConfigOptions;
import dev.languageranker.demo.FunctionCallProblemGenerator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.events.CandidateScore;
import dev.languageranker.events.RankedAnswer;
import dev.languageranker.platform.config.LrConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Sends one prompt through the pipeline and prints its ranked answer. */
@Command(name = "ask", mixinStandardHelpOptions = true,
    description = {"Produces a prompt to lr.prompts, waits for its answer on lr.answers and prints the chosen text,",
        "the strategy, the ranker version and every candidate's score (--json: one JSON object)."})
final class AskCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Mixin ClientOptions clientOptions;
  @Spec CommandSpec spec;

  @Option(names = "--task", defaultValue = "math",
      description = "math, code, function or general (default: ${DEFAULT-VALUE}).") String task;

  @Option(names = "--k", description = "Candidates to sample (default: the generator's, 10).") Integer k;

  @Option(names = "--ranker", paramLabel = "ID", defaultValue = "default",
      description = "rankerId (default: ${DEFAULT-VALUE}).") String rankerId;

  @Option(names = "--functions", paramLabel = "JSON",
      description = "Function definitions for --task function (default: the demo model's four functions).") String functions;

  @Option(names = "--reference", paramLabel = "JSON",
      description = "What a verifier needs, e.g. '{\"answer\": \"12\"}' (the answer is then labeled and "
          + "trains rankers).") String reference;

  @Option(names = "--wait", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).") Duration wait;

  @Option(names = "--json", description = "Print one JSON object.") boolean json;

  @Parameters(index = "0", paramLabel = "PROMPT", description = "The prompt text.") String prompt;

  @Override
  public Integer call() throws Exception {
    ObjectNode request = PromptInput.JSON.createObjectNode().put("task", task).put("text", prompt)
        .put("rankerId", rankerId);
    if (k != null) {
      request.put("k", k);
    }
    if (PromptInput.task(task) == dev.languageranker.events.Task.FUNCTION_CALL) {
      request.set("functions",
          PromptInput.JSON.readTree(functions != null ? functions : FunctionCallProblemGenerator.FUNCTIONS));
    }
    if (reference != null) {
      JsonNode ref;
      try {
        ref = PromptInput.JSON.readTree(reference);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--reference is not JSON: " + e.getOriginalMessage());
      }
      request.set("reference", ref);
    }
    PromptInput input;
    try {
      input = PromptInput.of(request);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    LrConfig config = clientOptions.apply(configOptions.load());
    PrintWriter out = spec.commandLine().getOut();
    String requestId = input.prompt().getRequestId();
    long started = System.nanoTime();
    try (PipelineClient client = new PipelineClient(config, clientOptions.timeout);
        PipelineClient.AnswerReader answers = client.answers(false)) {
      client.send(input);
      client.flush();
      long deadline = started + wait.toNanos();
      while (System.nanoTime() < deadline) {
        for (RankedAnswer answer : answers.poll(Duration.ofMillis(200))) {
          if (answer.getRequestId().equals(requestId)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            print(out, answer, millis);
            return 0;
          }
        }
      }
    }
    spec.commandLine().getErr().println("error: no answer to " + requestId + " within " + wait.toSeconds()
        + " s (is a generator and a ranker running? see 'bin/language-ranker lag')");
    return CliErrorHandler.UNAVAILABLE;
  }

  private void print(PrintWriter out, RankedAnswer answer, long millis) {
    String version = answer.getRankerVersion() == null ? "none (fallback)" : "v" + answer.getRankerVersion();
    if (json) {
      ObjectNode node = PromptInput.JSON.createObjectNode().put("requestId", answer.getRequestId())
          .put("chosenIndex", answer.getChosenIndex()).put("chosenText", answer.getChosenText())
          .put("strategy", answer.getStrategy().name()).put("rankerId", answer.getRankerId())
          .put("complete", answer.getComplete()).put("latencyMs", answer.getLatencyMs()).put("askMillis", millis);
      if (answer.getRankerVersion() == null) {
        node.putNull("rankerVersion");
      } else {
        node.put("rankerVersion", answer.getRankerVersion());
      }
      ArrayNode scores = node.putArray("scores");
      answer.getScores().forEach(s -> scores.addObject().put("index", s.getIndex()).put("score", s.getScore()));
      out.println(node);
    } else {
      out.println(answer.getChosenText());
      out.println();
      out.printf("request %s: candidate %d of %d by %s, ranker %s %s%s, answered in %d ms%n", answer.getRequestId(),
          answer.getChosenIndex(), answer.getK(), answer.getStrategy(), answer.getRankerId(), version,
          answer.getComplete() ? "" : " (incomplete group)", millis);
      for (CandidateScore s : answer.getScores()) {
        out.printf("  %s candidate %2d  score %.4f%n", s.getIndex() == answer.getChosenIndex() ? "*" : " ",
            s.getIndex(), s.getScore());
      }
    }
    out.flush();
  }
}
