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
 * {@code train-demo-model}: trains the bundled demo model on CPU and saves it in the HF layout: the base stage from
 * scratch (the committed demo model), and the experimental self-assessment stage from a base model.
 */
@Command(name = "train-demo-model", mixinStandardHelpOptions = true,
    description = "Train the small demo Llama model (math word problems and function calls) on CPU: --stage base "
        + "(from scratch; the committed demo model), self-assessment (from --init) or both.")
public final class TrainDemoModelCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", defaultValue = "models/demo", description = "Model directory to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--checkpoints", description = "Also save a model directory every 100 steps here.")
  Path checkpoints;

  /** Which training stages run. */
  enum Stage { base, self_assessment, both }

  @Option(names = "--stage", defaultValue = "base", converter = StageConverter.class,
      description = "base, self-assessment (from --init) or both (default: ${DEFAULT-VALUE}).")
  Stage stage;

  @Option(names = "--init", description = "The base model directory the self-assessment stage starts from.")
  Path init;

  @Option(names = "--base-output", description = "Where --stage both saves the base stage (default: a temporary "
      + "directory).")
  Path baseOutput;

  @Option(names = "--steps", description = "Length of the learning-rate schedule, run to the end, of the stage(s) run "
      + "(default: the stage's: base 1600, stopped after 1200; self-assessment 400).")
  Integer steps;

  @Option(names = "--stop-after-step", description = "Stop (and save) after this step of the schedule.")
  Integer stopAfterStep;

  @Option(names = "--seed", description = "Random seed (default: the plan's).")
  Long seed;

  @Option(names = "--batch-size", description = "Sequences per step (default: the plan's).")
  Integer batchSize;

  @Option(names = "--size", split = ",", description = "hidden,layers,heads,kvHeads,intermediate (default: the plan's).")
  int[] size;

  @Option(names = "--assessment-mix", split = ",", description = "flawedShare,judgementWeight,featureLayerWeight: "
      + "the self-assessment mix of the stage(s) run (default: the plan's; base 0,0,0, self-assessment 0.5,1,1).")
  double[] selfAssessment;

  @Option(names = "--learning-rate", description = "Peak learning rate (default: the plan's).")
  Double learningRate;

  @Option(names = "--threads", defaultValue = "1",
      description = "PyTorch intra-op CPU threads (default: ${DEFAULT-VALUE}; see the generator's README).")
  int threads;

  @Override
  public Integer call() throws Exception {
    require(threads >= 1, "--threads must be at least 1");
    require((stage == Stage.self_assessment) == (init != null), "--init is needed by, and only by, --stage "
        + "self-assessment");
    TorchEngine.start(threads);
    if (stage == Stage.base) {
      run(DemoTrainingPlan.base(), output, checkpoints, null);
      return 0;
    }
    Path start = init;
    if (stage == Stage.both) {
      start = baseOutput != null ? baseOutput : java.nio.file.Files.createTempDirectory("demo-base");
      spec.commandLine().getOut().println("Stage 1 of 2: base model into " + start);
      run(DemoTrainingPlan.base(), start, null, null);
      spec.commandLine().getOut().println("Stage 2 of 2: self-assessment");
    }
    run(DemoTrainingPlan.selfAssessment(), output, checkpoints, start);
    return 0;
  }

  /** Accepts the stage names as written on the command line ({@code self-assessment}). */
  static final class StageConverter implements CommandLine.ITypeConverter<Stage> {
    @Override
    public Stage convert(String value) {
      return Stage.valueOf(value.trim().replace('-', '_'));
    }
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
    if (selfAssessment != null) {
      require(selfAssessment.length == 3 && selfAssessment[0] >= 0 && selfAssessment[0] < 1 && selfAssessment[1] >= 0
          && selfAssessment[2] >= 0, "--assessment-mix needs flawedShare in [0,1) and two weights >= 0");
      plan = plan.withSelfAssessment(selfAssessment[0], selfAssessment[1], selfAssessment[2]);
    }
    if (learningRate != null) {
      require(learningRate > 0, "--learning-rate must be positive");
      plan = plan.withLearningRate(learningRate);
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
