package dev.languageranker.evaluation;

import dev.languageranker.cli.common.JsonLine;
import dev.languageranker.cli.common.ModelOptions;

import dev.languageranker.demo.DemoAnswerChecker;
import dev.languageranker.demo.DemoTask;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.answers.AnswerKeyExtractor;
import dev.languageranker.ranker.features.FeaturePooling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval}: samples (or reuses cached) candidates with features for disjoint train and test problems, trains the
 * rankers on the train problems and compares them with the baselines on held-out groups of K, with bootstrap
 * intervals; one JSON line per task.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Train rankers on a model's sampled candidates and compare them with the baselines on held-out "
        + "problems; one JSON line per task.")
public final class EvalCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--data", description = "JSONL of prompts with references ({\"task\": \"math\"|\"function\", "
      + "\"messages\" or \"prompt\", \"reference\"}) instead of the demo tasks' problem generators.") Path data;

  @Option(names = "--seed", defaultValue = "1",
      description = "Problem, sampling, training and bootstrap seed (default: ${DEFAULT-VALUE}).") long seed;

  @Option(names = "--train-problems",
      description = "Training problems per task (default: 800; --quick: 150).") Integer trainProblems;

  @Option(names = "--test-problems",
      description = "Held-out problems per task (default: 300; --quick: 100).") Integer testProblems;

  @Option(names = "--samples",
      description = "Candidates sampled per problem (default: 20; --quick: 12).") Integer samples;

  @Option(names = "--k", defaultValue = "10",
      description = "Candidates per ranked group (default: ${DEFAULT-VALUE}).") int k;

  @Option(names = "--quick",
      description = "A small, fast setting: 150 train and 100 test problems, 12 samples, fewer resamples.") boolean quick;

  @Option(names = "--pooling", defaultValue = "mean",
      description = "Response feature pooling: last or mean (default: ${DEFAULT-VALUE}).") String pooling;

  @Option(names = "--tasks", split = ",", defaultValue = "math,function",
      description = "Tasks (default: ${DEFAULT-VALUE}).") List<String> tasks;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Sampling temperature (default: ${DEFAULT-VALUE}).") double temperature;

  @Option(names = "--max-new-tokens", defaultValue = "96",
      description = "New tokens per sample (default: ${DEFAULT-VALUE}).") int maxNewTokens;

  @Option(names = "--cache-dir",
      description = "Where sampled shards are kept (default: ~/.cache/language-ranker/eval).") Path cacheDir;

  @Option(names = "--samples-only",
      description = "Only sample and cache the shards, print their paths, train nothing.") boolean samplesOnly;

  private LoadedModel loaded;

  @Override
  public Integer call() throws Exception {
    int train = trainProblems != null ? trainProblems : (quick ? 150 : 800);
    int test = testProblems != null ? testProblems : (quick ? 100 : 300);
    int n = samples != null ? samples : (quick ? 12 : 20);
    require(train >= 10 && test >= 1, "--train-problems must be at least 10 and --test-problems at least 1");
    require(n >= 2 && k >= 2 && k <= n, "--samples must be at least 2 and --k between 2 and --samples");
    require(temperature >= 0 && maxNewTokens >= 1,
        "--temperature must not be negative and --max-new-tokens must be positive");
    FeaturePooling chosenPooling;
    try {
      chosenPooling = FeaturePooling.parse(pooling);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path cache = cacheDir != null ? cacheDir
        : Path.of(System.getProperty("user.home"), ".cache", "language-ranker", "eval");
    Map<String, EvalProblemSets.Split> splits = problemSets(train, test);
    EvalSampleCache samplesCache = new EvalSampleCache(cache, modelOptions.model(), this::model,
        spec.commandLine().getErr());
    EvalSampleCache.Sampling sampling = new EvalSampleCache.Sampling(n, temperature, maxNewTokens, seed);
    try {
      for (Map.Entry<String, EvalProblemSets.Split> entry : splits.entrySet()) {
        String task = entry.getKey();
        String setName = (data == null ? "demo" : "data-" + contentHash(data)) + "-" + task;
        Path trainShard = samplesCache.shard(setName + "-train", entry.getValue().train(), sampling, chosenPooling,
            judge());
        Path testShard = samplesCache.shard(setName + "-test", entry.getValue().test(), sampling, chosenPooling,
            judge());
        if (samplesOnly) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("task", task);
          line.put("train_shard", trainShard.toString());
          line.put("test_shard", testShard.toString());
          spec.commandLine().getOut().println(JsonLine.of(line));
          spec.commandLine().getOut().flush();
          continue;
        }
        Map<String, Object> line = EvalReportLines.evaluate(task, trainShard, testShard, k, seed, quick);
        spec.commandLine().getOut().println(JsonLine.of(line));
        spec.commandLine().getOut().flush();
      }
    } finally {
      if (loaded != null) {
        loaded.close();
      }
    }
    return 0;
  }

  private Map<String, EvalProblemSets.Split> problemSets(int train, int test) throws IOException {
    Map<String, EvalProblemSets.Split> splits = new LinkedHashMap<>();
    if (data != null) {
      Map<String, EvalProblemSets.Split> all;
      try {
        all = EvalProblemSets.fromJsonl(data, train, test);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      for (String task : tasks) {
        EvalProblemSets.Split split = all.get(task.trim());
        if (split != null && split.train().size() >= 10 && !split.test().isEmpty()) {
          splits.put(task.trim(), split);
        }
      }
      require(!splits.isEmpty(), data + " has no task with at least 10 training and 1 test problem");
      return splits;
    }
    List<DemoTask> chosen = new ArrayList<>();
    for (String name : tasks) {
      chosen.add(demoTask(name));
    }
    for (DemoTask task : chosen) {
      splits.put(task.label(), EvalProblemSets.demo(task, train, test, seed));
    }
    return splits;
  }

  private EvalSampleCache.Judge judge() {
    DemoAnswerChecker checker = new DemoAnswerChecker();
    AnswerKeyExtractor keys = new AnswerKeyExtractor();
    return new EvalSampleCache.Judge() {
      @Override
      public boolean isCorrect(EvalProblem problem, String response) {
        if (data == null) {
          return checker.isCorrect(demoTask(problem.task()), response, problem.reference());
        }
        // Any model's data: correct when the response's normalized answer is the reference's.
        String expected = problem.task().equals("math")
            ? keys.mathKey("\\boxed{" + problem.reference() + "}").orElse(null)
            : keys.functionCallKey(problem.reference()).orElse(null);
        return expected != null && expected.equals(answerKey(problem, response));
      }

      @Override
      public String answerKey(EvalProblem problem, String response) {
        return (problem.task().equals("math") ? keys.mathKey(response) : keys.functionCallKey(response)).orElse(null);
      }
    };
  }

  /** The data file's identity for the cache key: the first 16 hex digits of its SHA-256. */
  private static String contentHash(Path file) throws IOException {
    return dev.languageranker.ranker.bundle.Sha256.hex(java.nio.file.Files.readAllBytes(file)).substring(0, 16);
  }

  private DemoTask demoTask(String name) {
    for (DemoTask task : DemoTask.values()) {
      if (task.label().equalsIgnoreCase(name.trim())) {
        return task;
      }
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "Unknown task '" + name + "'; use math or function");
  }

  private LoadedModel model() {
    if (loaded == null) {
      loaded = modelOptions.load(spec.commandLine());
    }
    return loaded;
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
