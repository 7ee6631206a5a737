package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.ModelOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.demo.DemoProblem;
import dev.languageranker.demo.DemoProblemSource;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.generator.runtime.CandidateGenerator;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.SamplingOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench generate}: sampled tokens per second and the share of generation time spent on features. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Tokens per second of K-candidate generation on held-out math prompts, and the feature share.")
public final class BenchGenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--k", defaultValue = "10", description = "Candidates per prompt (default: ${DEFAULT-VALUE}).") int k;

  @Option(names = "--prompts", defaultValue = "16",
      description = "Prompts measured (default: ${DEFAULT-VALUE}).") int prompts;

  @Option(names = "--batch-prompts", defaultValue = "1",
      description = "Prompts per batch (default: ${DEFAULT-VALUE}).") int batchPrompts;

  @Option(names = "--max-new-tokens", defaultValue = "96",
      description = "Limit (default: ${DEFAULT-VALUE}).") int maxNewTokens;

  @Override
  public Integer call() throws Exception {
    if (k < 1 || prompts < 1 || batchPrompts < 1 || maxNewTokens < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "all counts must be positive");
    }
    List<DemoProblem> problems = new DemoProblemSource().heldOut(DemoTask.MATH, prompts + batchPrompts, 99);
    try (LoadedModel model = modelOptions.load(spec.commandLine())) {
      // Warm-up batch (first calls allocate and pick kernels), not measured.
      new CandidateGenerator(model).generateChat(
          problems.subList(0, batchPrompts).stream().map(DemoProblem::messages).toList(),
          new SamplingOptions(k, 1.0, 1.0, 0, maxNewTokens, List.of(), 0));
      CandidateGenerator generator = new CandidateGenerator(model);
      for (int start = batchPrompts; start < problems.size(); start += batchPrompts) {
        List<DemoProblem> batch = problems.subList(start, Math.min(problems.size(), start + batchPrompts));
        generator.generateChat(batch.stream().map(DemoProblem::messages).toList(),
            new SamplingOptions(k, 1.0, 1.0, 0, maxNewTokens, List.of(), start));
      }
      double seconds = generator.totalNanos() / 1e9;
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode line = mapper.createObjectNode();
      line.put("bench", "generate");
      line.put("k", k);
      line.put("tokens_per_s", generator.generatedTokens() / seconds);
      line.put("feature_share", (double) generator.featureNanos() / generator.totalNanos());
      line.put("prompts", prompts);
      line.put("batch_prompts", batchPrompts);
      line.put("tokens", generator.generatedTokens());
      line.put("seconds", seconds);
      line.put("model", modelOptions.model().toString());
      line.put("device", modelOptions.device());
      spec.commandLine().getOut().println(mapper.writeValueAsString(line));
    }
    return 0;
  }
}
