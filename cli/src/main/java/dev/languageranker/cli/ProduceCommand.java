package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.platform.config.LrConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Publishes prompts (with optional references) from a JSON-lines file. */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {"Publishes prompts from a JSON-lines file (- for stdin) to lr.prompts, each with its optional",
        "reference to lr.references. One object per line, e.g.",
        "  {\"task\": \"math\", \"text\": \"Tom has 5 apples...\", \"reference\": {\"answer\": \"12\"}}",
        "Fields: requestId (default: random), task (math, code, function, general), text or messages, functions,",
        "rankerId, rankerVersion, k, maxNewTokens, temperature, topP, topK, seed, metadata, reference {answer,",
        "tests, testSetup, expectedCalls, functions, question (math; default: the prompt's text)}. A malformed line",
        "is reported with its number and skipped; the good lines are sent, and the exit code is 2 if any line was",
        "bad."})
final class ProduceCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Mixin ClientOptions clientOptions;
  @Spec CommandSpec spec;

  @Option(names = "--file", required = true, paramLabel = "FILE",
      description = "Prompts as JSON lines; - for stdin.") String file;

  @Override
  public Integer call() throws IOException {
    List<String> lines = read();
    List<PromptInput> good = new ArrayList<>();
    PrintWriter err = spec.commandLine().getErr();
    int bad = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        good.add(PromptInput.parseLine(line));
      } catch (IllegalArgumentException e) {
        bad++;
        err.println("error: " + file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    err.flush();
    LrConfig config = clientOptions.apply(configOptions.load());
    int references = 0;
    try (PipelineClient client = new PipelineClient(config, clientOptions.timeout)) {
      for (PromptInput input : good) {
        client.send(input);
        references += input.reference() == null ? 0 : 1;
      }
      client.flush();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("sent %d prompts (%d with a reference); %d bad lines skipped%n", good.size(), references, bad);
    good.forEach(g -> out.println(g.prompt().getRequestId()));
    out.flush();
    return bad == 0 ? 0 : CliErrorHandler.USAGE;
  }

  private List<String> read() throws IOException {
    if (file.equals("-")) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList();
    }
    try {
      return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), file + " is not UTF-8 text");
    }
  }
}
