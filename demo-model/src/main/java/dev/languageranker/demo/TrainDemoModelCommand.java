package dev.languageranker.demo;

import dev.languageranker.cli.common.TorchEngine;

import ai.djl.training.util.ProgressBar;
import dev.languageranker.generator.runtime.LoadedModel;
import dev.languageranker.generator.runtime.ModelConfig;
import dev.languageranker.generator.runtime.ModelDirectory;
import dev.languageranker.generator.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train-demo-model}: trains the bundled demo model on CPU and saves it in the HF layout: the base stage from
 * scratch, the habits stage from a base model (the two made the committed demo model v2), and the experimental
 * self-assessment stage from a base model.
 */
@Command(name = "train-demo-model", mixinStandardHelpOptions = true,
    description = "Train the small demo Llama model (math word problems and function calls) on CPU: --stage all "
        + "(the committed demo model: base from scratch, then habits), base, habits (from --init), or the experimental "
        + "self-assessment (from --init) or both (base, then self-assessment).")
public final class TrainDemoModelCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", defaultValue = "models/demo",
      description = "Model directory to write (default: ${DEFAULT-VALUE}).") Path output;

  @Option(names = "--checkpoints", description = "Also save a model directory every 100 steps here.") Path checkpoints;

  /** Which training stages run. */
  enum Stage { all, base, habits, self_assessment, both }

  @Option(names = "--stage", defaultValue = "all", converter = StageConverter.class,
      description = "all (base, then habits: the committed model), base, habits (from --init), self-assessment "
          + "(from --init) or both (base, then self-assessment) (default: ${DEFAULT-VALUE}).") Stage stage;

  @Option(names = "--init",
      description = "The base model directory the habits or self-assessment stage starts from.") Path init;

  @Option(names = "--base-output", description = "Where --stage all or both saves the base stage (default: a "
      + "temporary directory).") Path baseOutput;

  @Option(names = "--steps", description = "Length of the learning-rate schedule, run to the end, of the stage(s) run "
      + "(default: the stage's: base 1600, stopped after 1200; self-assessment 400).") Integer steps;

  @Option(names = "--stop-after-step",
      description = "Stop (and save) after this step of the schedule.") Integer stopAfterStep;

  @Option(names = "--seed", description = "Random seed (default: the plan's).") Long seed;

  @Option(names = "--batch-size", description = "Sequences per step (default: the plan's).") Integer batchSize;

  @Option(names = "--size", split = ",",
      description = "hidden,layers,heads,kvHeads,intermediate (default: the plan's).") int[] size;

  @Option(names = "--assessment-mix", split = ",", description = "flawedShare,judgementWeight,featureLayerWeight: "
      + "the self-assessment mix of the stage(s) run; with own samples the share is that of rows that are own samples "
      + "(default: the plan's; base 0,0,0, self-assessment 0.5,1,1, on own samples 0.75,0,1).") double[] selfAssessment;

  /** Where the self-assessment stage's judged responses come from. */
  enum AssessmentSource { synthetic, own_samples }

  @Option(names = "--assessment-source", defaultValue = "synthetic", converter = SourceConverter.class,
      description = "The self-assessment stage's judged responses: synthetic (flawed worked solutions) or own-samples "
          + "(the start model's own samples at temperature 1, labelled by the checker; default: ${DEFAULT-VALUE}).") AssessmentSource assessmentSource;

  @Option(names = "--own-samples", defaultValue = "8",
      description = "With own-samples: responses sampled per training problem (default: ${DEFAULT-VALUE}).") int ownSamples;

  @Option(names = "--own-sample-problems", defaultValue = "1000",
      description = "With own-samples: distinct training problems sampled for (default: ${DEFAULT-VALUE}).") int ownSampleProblems;

  @Option(names = "--own-samples-cache", description = "With own-samples: a JSONL file that keeps the samples; "
      + "reused when it was written for the same model and settings, else sampled again and rewritten.") Path ownSamplesCache;

  @Option(names = "--paired-weight", description = "With own samples: weight of the within-problem contrast (the "
      + "feature layer's judgement averaged over a right sample's response above a wrong one's of the same problem; "
      + "default: 0, no pairs).") Double pairedWeight;

  @Option(names = "--copy-inserted-layers", description = "Inserted layers start as copies of the base layers above "
      + "them (output projections zeroed, so still the identity) instead of fresh random weights.") boolean copyInsertedLayers;

  @Option(names = "--judge-on-top", description = "The self-assessment stage's fresh layers go above all of the base "
      + "model's layers, the feature layer being one of them, so it reads the base model's finished computation "
      + "(--size must put round(0.6 x layers) among them, e.g. 8 layers on a 4-layer base: layer 5); default: just "
      + "below the feature layer.") boolean judgeOnTop;

  @Option(names = "--distill-weight", description = "Learn the next-token distribution from a frozen teacher "
      + "(--teacher, default --init) with this weight instead of the worked solutions as text, so generation stays "
      + "the teacher's (default: 0, learn the text).") Double distillWeight;

  @Option(names = "--teacher", description = "With --distill-weight: the model whose next-token distribution is "
      + "learnt (default: --init).") Path teacher;

  @Option(names = "--own-samples-model", description = "With own-samples: the model whose samples are judged "
      + "(default: --init; e.g. the teacher, when generation is distilled from it).") Path ownSamplesModel;

  @Option(names = "--departure-judgement", description = "The feature layer's judgement marks only the token where "
      + "a wrong response departs from the worked solution (and its end marker), not every token from there on.") boolean departureJudgement;

  @Option(names = "--habitual-mistakes", description = "Share (0..1) of the training problems that have a place for "
      + "the model's habitual mistake (math: the first giving-away or losing event read as adding; calls: celsius "
      + "written as fahrenheit, or a conversion to another currency made to USD) written with it and learnt as text, "
      + "so the model makes it as confidently as the right reading; judged like the other rows (default: the stage's: "
      + "habits 0.5, others 0).") Double habitualMistakes;

  @Option(names = "--math-share", description = "Share (0..1) of the training rows that are math problems, the others "
      + "function calls (default: the plan's, 0.7).") Double mathShare;

  @Option(names = "--base-learns", description = "When the stage adds layers, the base model's own weights learn too "
      + "(default: only the added layers learn, so generation stays the base model's).") boolean baseLearns;

  @Option(names = "--learning-rate", description = "Peak learning rate (default: the plan's).") Double learningRate;

  @Option(names = "--threads", defaultValue = "1",
      description = "PyTorch intra-op CPU threads (default: ${DEFAULT-VALUE}; see the generator's README).") int threads;

  @Override
  public Integer call() throws Exception {
    require(threads >= 1, "--threads must be at least 1");
    boolean fromInit = stage == Stage.self_assessment || stage == Stage.habits;
    require(fromInit == (init != null), "--init is needed by, and only by, --stage habits and self-assessment");
    boolean own = assessmentSource == AssessmentSource.own_samples;
    require(!own || stage == Stage.self_assessment || stage == Stage.both,
        "--assessment-source own-samples needs a model to sample from: --stage "
            + "self-assessment with --init, or both");
    require(ownSamples >= 1 && ownSampleProblems >= 1, "--own-samples and --own-sample-problems must be positive");
    require(own || ownSamplesCache == null, "--own-samples-cache is only for --assessment-source own-samples");
    require(own || ownSamplesModel == null, "--own-samples-model is only for --assessment-source own-samples");
    require(teacher == null || distillWeight != null, "--teacher is only for --distill-weight");
    require(distillWeight == null || (distillWeight >= 0 && stage != Stage.base),
        "--distill-weight must be >= 0 and needs a self-assessment stage");
    TorchEngine.start(threads);
    if (stage == Stage.base) {
      run(DemoTrainingPlan.base(), output, checkpoints, null);
      return 0;
    }
    boolean habitStage = stage == Stage.habits || stage == Stage.all;
    Path start = init;
    if (stage == Stage.both || stage == Stage.all) {
      start = baseOutput != null ? baseOutput : java.nio.file.Files.createTempDirectory("demo-base");
      spec.commandLine().getOut().println("Stage 1 of 2: base model into " + start);
      run(DemoTrainingPlan.base(), start, null, null);
      spec.commandLine().getOut().println("Stage 2 of 2: " + (habitStage ? "habits" : "self-assessment"));
    }
    DemoTrainingPlan second = habitStage ? DemoTrainingPlan.habits()
        : own ? ownSamplePlan() : DemoTrainingPlan.selfAssessment();
    run(second, output, checkpoints, start);
    return 0;
  }

  /**
   * The self-assessment plan on own samples: three rows in four are own samples (the rest worked solutions that keep
   * generation as it was), and only the feature layer's running judgement: the judgement after the end marker goes
   * through the frozen top layers and head, which cannot learn to say it, and pushing at it would only disturb what the
   * inserted layers pass up.
   */
  private static DemoTrainingPlan ownSamplePlan() {
    return DemoTrainingPlan.selfAssessment().withSelfAssessment(0.75, 0, 1);
  }

  /** The judged responses of the stage starting from {@code from}: null for synthetic slips. */
  private List<OwnSample> ownSamples(DemoTrainingPlan plan, Path from) throws Exception {
    if (assessmentSource != AssessmentSource.own_samples) {
      return null;
    }
    OwnSampleSource.Settings settings = new OwnSampleSource.Settings(ownSampleProblems, ownSamples, plan.mathShare(),
        plan.seed());
    OwnSampleSource source = new OwnSampleSource();
    java.io.PrintWriter out = spec.commandLine().getOut();
    Consumer<String> progress = line -> {
      out.println(line);
      out.flush();
    };
    try (LoadedModel model = ModelDirectory.load(ownSamplesModel != null ? ownSamplesModel : from,
        RuntimeOptions.defaults())) {
      return ownSamplesCache != null ? source.cached(ownSamplesCache, model, settings, progress)
          : source.sample(model, settings, progress);
    }
  }

  /** Accepts the source names as written on the command line ({@code own-samples}). */
  static final class SourceConverter implements CommandLine.ITypeConverter<AssessmentSource> {
    @Override
    public AssessmentSource convert(String value) {
      return AssessmentSource.valueOf(value.trim().replace('-', '_'));
    }
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
    if (copyInsertedLayers) {
      plan = plan.withCopiedInsertedLayers(true);
    }
    if (pairedWeight != null) {
      require(pairedWeight >= 0 && assessmentSource == AssessmentSource.own_samples,
          "--paired-weight must be >= 0 and needs --assessment-source own-samples");
      plan = plan.withPairedWeight(pairedWeight);
    }
    if (judgeOnTop) {
      plan = plan.withJudgeOnTop(true);
    }
    if (distillWeight != null) {
      plan = plan.withDistillWeight(distillWeight);
    }
    if (departureJudgement) {
      plan = plan.withDepartureJudgement(true);
    }
    if (habitualMistakes != null) {
      require(habitualMistakes >= 0 && habitualMistakes <= 1 && assessmentSource == AssessmentSource.synthetic,
          "--habitual-mistakes must be in 0..1 and needs --assessment-source synthetic");
      plan = plan.withHabitualMistakes(habitualMistakes);
    }
    if (mathShare != null) {
      require(mathShare >= 0 && mathShare <= 1, "--math-share must be in 0..1");
      plan = plan.withMathShare(mathShare);
    }
    if (baseLearns) {
      plan = plan.withBaseLearning(true);
    }
    if (plan.judgeOnTop() && from != null) {
      int baseLayers = ModelConfig.read(from.resolve(ModelDirectory.CONFIG)).numLayers();
      int featureLayer = RuntimeOptions.defaults().resolveFeatureLayer(plan.layers());
      require(featureLayer > baseLayers,
          "--judge-on-top needs the feature layer, round(0.6 x layers), to be one of the "
              + "layers above the base model's " + baseLayers + "; with " + plan.layers() + " layers it is "
              + featureLayer
              + " (try --size with " + (int) Math.ceil((baseLayers + 0.5) / 0.6) + " layers or more)");
    }
    List<OwnSample> judged = from == null ? null : ownSamples(plan, from);
    require(judged == null || plan.flawedShare() > 0, "with own samples the --assessment-mix share (of rows that are "
        + "own samples) must be above 0");
    spec.commandLine().getOut().println("Training demo model: " + plan);
    ProgressBar bar = new ProgressBar("Training", plan.stopAfterStep());
    double loss = new DemoModelTrainer().train(plan, directory, checkpointDirectory, from, judged,
        from == null ? null : teacher, p -> {
          bar.update(p.step(), String.format(Locale.ROOT, "loss %.4f judgement %.4f lr %.2e %.0fs", p.loss(),
              p.judgementLoss(), p.learningRate(), p.secondsElapsed()));
          if (p.step() % 50 == 0 || p.step() == p.steps()) {
            spec.commandLine().getOut().printf(Locale.ROOT,
                "%nstep %d/%d loss %.4f judgement %.4f (feature layer %.4f, paired %.4f) distill %.4f lr %.2e "
                    + "elapsed %.0fs%n",
                p.step(), p.steps(), p.loss(), p.judgementLoss(), p.featureLayerJudgementLoss(),
                p.pairedLoss(), p.distillLoss(), p.learningRate(), p.secondsElapsed());
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
