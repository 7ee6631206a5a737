package dev.languageranker.cli;

import ai.djl.training.util.ProgressBar;
import dev.languageranker.generator.demo.DemoModelTrainer;
import dev.languageranker.generator.demo.DemoTrainingPlan;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train-demo-model}: trains the bundled demo model on CPU in two stages (a base model from scratch, then
 * self-assessment training from it) and saves it in the HF layout.
 */
@Command(name = "train-demo-model", mixinStandardHelpOptions = true,
    description = "Train the small demo Llama model (math word problems and function calls) on CPU: a base model from "
        + "scratch, then self-assessment training from it (or from --init).")
public final class TrainDemoModelCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", defaultValue = "models/demo", description = "Model directory to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--checkpoints", description = "Also save a model directory every 100 steps here.")
  Path checkpoints;

  @Option(names = "--init", description = "Start the self-assessment stage from this base model directory instead of "
      + "training the base stage first.")
  Path init;

  @Option(names = "--base-only", description = "Train only the base stage (no self-assessment data) into --output.")
  boolean baseOnly;

  @Option(names = "--base-output", description = "Where the base stage is saved when it runs before the "
      + "self-assessment stage (default: a temporary directory).")
  Path baseOutput;

  @Option(names = "--steps", description = "Length of the learning-rate schedule, run to the end (default: the "
      + "stage's: base 1600, stopped after 1200; self-assessment 600).")
  Integer steps;

  @Option(names = "--stop-after-step", description = "Stop (and save) after this step of the schedule.")
  Integer stopAfterStep;

  @Option(names = "--seed", description = "Random seed (default: the plan's).")
  Long seed;

  @Option(names = "--batch-size", description = "Sequences per step (default: the plan's).")
  Integer batchSize;

  @Option(names = "--size", split = ",", description = "hidden,layers,heads,kvHeads,intermediate (default: the plan's).")
  int[] size;

  @Option(names = "--threads", defaultValue = "1",
      description = "PyTorch intra-op CPU threads (default: ${DEFAULT-VALUE}; see the generator's README).")
  int threads;

  @Override
  public Integer call() throws Exception {
    require(threads >= 1, "--threads must be at least 1");
    require(!(baseOnly && init != null), "--base-only and --init exclude each other");
    TorchEngine.start(threads);
    Path start = init;
    if (start == null && !baseOnly) {
      start = baseOutput != null ? baseOutput : java.nio.file.Files.createTempDirectory("demo-base");
      spec.commandLine().getOut().println("Stage 1 of 2: base model into " + start);
      run(DemoTrainingPlan.base(), start, null, null);
      spec.commandLine().getOut().println("Stage 2 of 2: self-assessment");
    }
    run(baseOnly ? DemoTrainingPlan.base() : DemoTrainingPlan.defaults(), output, checkpoints, start);
    return 0;
  }

  private void run(DemoTrainingPlan stage, Path directory, Path checkpointDirectory, Path from) throws Exception {
    DemoTrainingPlan plan = stage;
    if (steps != null) {
      require(steps > 0, "--steps must be positive");
      plan = plan.withSteps(steps);
    }
    if (stopAfterStep != null) {
      require(stopAfterStep > 0 && stopAfterStep <= plan.steps(), "--stop-after-step must be in 1.." + plan.steps());
      plan = plan.withStopAfterStep(stopAfterStep);
    }
    if (seed != null) {
      plan = plan.withSeed(seed);
    }
    if (batchSize != null) {
      require(batchSize > 0, "--batch-size must be positive");
      plan = plan.withBatchSize(batchSize);
    }
    if (size != null) {
      require(size.length == 5, "--size needs five numbers: hidden,layers,heads,kvHeads,intermediate");
      plan = plan.withSize(size[0], size[1], size[2], size[3], size[4]);
    }
    spec.commandLine().getOut().println("Training demo model: " + plan);
    ProgressBar bar = new ProgressBar("Training", plan.stopAfterStep());
    double loss = new DemoModelTrainer().train(plan, directory, checkpointDirectory, from, p -> {
      bar.update(p.step(), String.format(Locale.ROOT, "loss %.4f judgement %.4f lr %.2e %.0fs", p.loss(),
          p.judgementLoss(), p.learningRate(), p.secondsElapsed()));
      if (p.step() % 50 == 0 || p.step() == p.steps()) {
        spec.commandLine().getOut().printf(Locale.ROOT,
            "%nstep %d/%d loss %.4f judgement %.4f (feature layer %.4f) lr %.2e elapsed %.0fs%n", p.step(), p.steps(),
            p.loss(), p.judgementLoss(), p.featureLayerJudgementLoss(), p.learningRate(), p.secondsElapsed());
      }
    });
    spec.commandLine().getOut().printf(Locale.ROOT, "%nSaved %s (final smoothed loss %.4f)%n", directory, loss);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
