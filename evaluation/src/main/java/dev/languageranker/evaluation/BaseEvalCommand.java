package dev.languageranker.evaluation;

import dev.languageranker.cli.common.ModelOptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.languageranker.demo.BaseEvaluation;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.demo.TaskEvaluation;
import dev.languageranker.generator.runtime.LoadedModel;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code base-eval}: the base model's first-sample, majority-vote and oracle accuracy on held-out demo problems. */
@Command(name = "base-eval", mixinStandardHelpOptions = true,
    description = "Evaluate the base model on held-out demo problems; one JSON line per task.")
public final class BaseEvalCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--k", defaultValue = "10", description = "Samples per problem (default: ${DEFAULT-VALUE}).") int k;

  @Option(names = "--problems", defaultValue = "200",
      description = "Problems per task (default: ${DEFAULT-VALUE}).") int problems;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Sampling temperature (default: ${DEFAULT-VALUE}).") double temperature;

  @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}).") long seed;

  @Option(names = "--tasks", split = ",", defaultValue = "math,function",
      description = "Tasks: math, function.") List<String> tasks;

  @Override
  public Integer call() throws Exception {
    if (k < 1 || problems < 1 || temperature < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--k and --problems must be positive and --temperature not negative");
    }
    List<DemoTask> chosen = tasks.stream().map(this::task).toList();
    ObjectMapper json = new ObjectMapper();
    try (LoadedModel model = modelOptions.load(spec.commandLine())) {
      BaseEvaluation evaluation = new BaseEvaluation(model);
      for (DemoTask task : chosen) {
        TaskEvaluation result = evaluation.evaluate(task, problems, k, temperature, seed);
        ObjectNode line = json.createObjectNode();
        line.put("task", result.task());
        line.put("problems", result.problems());
        line.put("k", result.k());
        line.put("temperature", result.temperature());
        line.put("first_sample", result.firstSample());
        line.put("majority_vote", result.majorityVote());
        line.put("oracle", result.oracle());
        spec.commandLine().getOut().println(json.writeValueAsString(line));
      }
    }
    return 0;
  }

  private DemoTask task(String name) {
    for (DemoTask task : DemoTask.values()) {
      if (task.label().equalsIgnoreCase(name.trim())) {
        return task;
      }
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "Unknown task '" + name + "'; use math or function");
  }
}
