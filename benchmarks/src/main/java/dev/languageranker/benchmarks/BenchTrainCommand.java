package dev.languageranker.benchmarks;

import dev.languageranker.cli.common.JsonLine;
import dev.languageranker.cli.common.ProgressBar;
import dev.languageranker.cli.common.TorchEngine;
import dev.languageranker.cli.common.TorchThreadOptions;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetReader;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.synthetic.SyntheticFeatures;
import dev.languageranker.ranker.train.LearningRateSchedule;
import dev.languageranker.ranker.train.OptimizerKind;
import dev.languageranker.ranker.train.RankerTrainer;
import dev.languageranker.ranker.train.TrainingConfig;
import dev.languageranker.ranker.train.TrainingProgressListener;
import dev.languageranker.ranker.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.languageranker.ranker.side.SideFeature;
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
 * MBPP-sized training benchmark: synthetic features with a planted signal are written as a training
 * shard, then loading and training are timed together, as the paper's "67 s including loading".
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Time loading a training shard and training a ranker on it.")
public final class BenchTrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--queries", defaultValue = "374",
      description = "Prompts (MBPP train: 374). Default: ${DEFAULT-VALUE}.") int queries;

  @Option(names = "--samples", defaultValue = "100",
      description = "Candidates per prompt. Default: ${DEFAULT-VALUE}.") int samples;

  @Option(names = "--dim", defaultValue = "4096",
      description = "Feature dimension. Default: ${DEFAULT-VALUE}.") int dim;

  @Option(names = "--layer", defaultValue = "19",
      description = "Feature layer recorded with the data (Llama-3.1-8B at 0.6 depth: 19). Default: ${DEFAULT-VALUE}.") int layer;

  @Option(names = "--k", defaultValue = "10",
      description = "Candidates per training group. Default: ${DEFAULT-VALUE}.") int k;

  @Option(names = "--groups-per-prompt", defaultValue = "2",
      description = "Groups drawn per prompt per epoch. Default: ${DEFAULT-VALUE}.") int groupsPerPrompt;

  @Option(names = "--batch", defaultValue = "64",
      description = "Groups per step. Default: ${DEFAULT-VALUE}.") int batch;

  @Option(names = "--epochs", defaultValue = "50",
      description = "Most epochs; validation stops earlier. Default: ${DEFAULT-VALUE}.") int epochs;

  @Option(names = "--patience", defaultValue = "2",
      description = "Epochs without a better validation result before stopping. Default: ${DEFAULT-VALUE}.") int patience;

  @Option(names = "--validation", defaultValue = "0.2",
      description = "Share of the training prompts used for validation (0: none, run all epochs). Default: ${DEFAULT-VALUE}.") double validation;

  @Option(names = "--side-features", split = ",",
      description = "Side features the ranker reads: vote_share, logprob_z, length_z (default: none).") List<String> sideFeatures = new ArrayList<>();

  @Option(names = "--architecture", defaultValue = "LISTWISE",
      description = "LISTWISE or POINTWISE. Default: ${DEFAULT-VALUE}.") RankerArchitecture architecture;

  @Option(names = "--optimizer", defaultValue = "ADAMW",
      description = "SGD or ADAMW. Default: ${DEFAULT-VALUE}.") OptimizerKind optimizer;

  @Option(names = "--lr",
      description = "Learning rate. Default: 0.5 for SGD, 0.002 for AdamW (the training default).") Float learningRate;

  @Option(names = "--schedule", defaultValue = "CONSTANT",
      description = "CONSTANT or COSINE. Default: ${DEFAULT-VALUE}.") LearningRateSchedule schedule;

  @Option(names = "--dtype", defaultValue = "BFLOAT16",
      description = "On-disk feature dtype: FLOAT32, BFLOAT16, FLOAT16. Default: ${DEFAULT-VALUE}.") FeatureDtype dtype;

  @Mixin TorchThreadOptions torchThreads;

  @Option(names = "--seed", defaultValue = "1",
      description = "Data and training seed. Default: ${DEFAULT-VALUE}.") long seed;

  @Option(names = "--data-dir",
      description = "Keep (and reuse) the generated shard here; default: a temporary file, deleted after.") Path dataDir;

  @Option(names = "--progress", negatable = true,
      description = "Progress bar on stderr (default: when stderr is a terminal).") Boolean progress;

  @Override
  public Integer call() throws Exception {
    validate();
    torchThreads.startEngine(spec.commandLine());
    SyntheticFeatures features = new SyntheticFeatures(queries, samples, dim, layer, dtype, 2.0f, false, seed);
    Path shard;
    boolean temporary = dataDir == null;
    if (temporary) {
      shard = Files.createTempFile("language-ranker-bench-", ".lrts");
    } else {
      Files.createDirectories(dataDir);
      shard = dataDir.resolve(String.format("synthetic-q%d-s%d-d%d-%s-seed%d.lrts", queries, samples, dim,
          dtype.name().toLowerCase(), seed));
    }
    try {
      long generateStart = System.nanoTime();
      if (temporary || !Files.exists(shard)) {
        features.writeTo(shard);
      }
      double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
      TrainingConfig config = TrainingConfig.defaults().withArchitecture(architecture)
          .withOptimizer(optimizer,
              learningRate != null ? learningRate
                  : (optimizer == OptimizerKind.SGD ? 0.5f : TrainingConfig.DEFAULT_ADAMW_RATE))
          .withSchedule(schedule).withBatching(batch, epochs, groupsPerPrompt).withGroupSize(k).withSeed(seed)
          .withEarlyStopping(validation, patience)
          .withSideFeatures(sideFeatures.stream().map(SideFeature::parse).toList());
      TrainingProgressListener listener = showProgress() ? new ProgressBar(spec.commandLine().getErr())
          : TrainingProgressListener.NONE;

      double loadAverage = MachineLoad.loadAverage();
      long cpuBefore = MachineLoad.processCpuNanos();
      long start = System.nanoTime();
      try (NDManager manager = NDManager.newBaseManager(); TrainingSet set = TrainingSetReader.read(shard, manager)) {
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        long trainStart = System.nanoTime();
        TrainingResult result = new RankerTrainer().train(set, config, listener);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (MachineLoad.processCpuNanos() - cpuBefore) / 1e9;
        try (result) {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("bench", "train");
          json.put("queries", queries);
          json.put("samples", samples);
          json.put("dim", dim);
          json.put("load_s", JsonLine.round(loadSeconds, 3));
          json.put("train_s", JsonLine.round(trainSeconds, 3));
          json.put("total_s", JsonLine.round(totalSeconds, 3));
          json.put("params", result.ranker().weights().parameterCount());
          json.put("holdout_accuracy", JsonLine.round(result.holdout().get("holdout_accuracy"), 4));
          json.put("first_sample_accuracy", JsonLine.round(result.holdout().get("first_sample_accuracy"), 4));
          json.put("oracle_accuracy", JsonLine.round(result.holdout().get("oracle_accuracy"), 4));
          json.put("majority_vote_accuracy", JsonLine.round(result.holdout().get("majority_vote_accuracy"), 4));
          json.put("mean_logprob_accuracy", JsonLine.round(result.holdout().get("mean_logprob_accuracy"), 4));
          json.put("architecture", architecture.name());
          json.put("optimizer", optimizer.name());
          json.put("dtype", dtype.name());
          json.put("shard_bytes", Files.size(shard));
          json.put("training_groups", result.trainingGroups());
          json.put("holdout_groups", (long) result.holdout().get("holdout_groups"));
          json.put("steps", result.steps());
          json.put("epochs_run", result.epochsRun());
          json.put("best_epoch", result.bestEpoch());
          json.put("validation_accuracy",
              Double.isNaN(result.validationAccuracy()) ? null : JsonLine.round(result.validationAccuracy(), 4));
          json.put("final_loss", JsonLine.round(result.finalLoss(), 5));
          json.put("threads", TorchEngine.intraOpThreads());
          json.put("generate_s", JsonLine.round(generateSeconds, 3));
          json.put("cores", MachineLoad.cores());
          json.put("load_avg_1m", JsonLine.round(loadAverage, 2));
          json.put("process_cpu_s", JsonLine.round(cpuSeconds, 3));
          spec.commandLine().getOut().println(JsonLine.of(json));
          spec.commandLine().getOut().flush();
        }
      }
      return 0;
    } finally {
      if (temporary) {
        Files.deleteIfExists(shard);
      }
    }
  }

  private boolean showProgress() {
    return progress != null ? progress : System.console() != null;
  }

  private void validate() {
    require(queries >= 5, "--queries must be at least 5 (a fifth is held out)");
    require(samples >= 2, "--samples must be at least 2");
    require(dim >= 2, "--dim must be at least 2");
    require(k >= 1 && k <= samples, "--k must be between 1 and --samples");
    require(groupsPerPrompt >= 1 && batch >= 1 && epochs >= 1,
        "--groups-per-prompt, --batch and --epochs must be positive");
    require(learningRate == null || learningRate > 0, "--lr must be positive");
    require(patience >= 1 && validation >= 0 && validation < 1,
        "--patience must be positive and --validation in [0, 1)");
    try {
      sideFeatures.forEach(SideFeature::parse);
    } catch (IllegalArgumentException e) {
      require(false, e.getMessage());
    }
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
