package dev.languageranker.demo;

/**
 * One stage of the demo model's training: size, data mix and schedule. {@link #base()} trains the base model from
 * scratch (the demo model v1) and {@link #habits()} continues from it, which is what produced {@code models/demo}
 * (v2); {@link #selfAssessment()} continues from a base model with self-assessment data (experimental: see the model
 * card for what it reached). The learning-rate schedule spans
 * {@code steps}; training stops after
 * {@code stopAfterStep} (at most {@code steps}): the base stage is deliberately left part-trained so that sampled
 * answers are often, not always, right, which is what makes it a test bed for ranking.
 *
 * <p>Self-assessment data: a share {@code flawedShare} of the training responses are flawed versions of the worked
 * solution ({@link SolutionPerturber}), learnt from only as context. After every response's end marker comes a
 * training-only judgement token (right or wrong, by the checker), predicted with loss weight
 * {@code judgementWeight} from the last layer and {@code featureLayerJudgementWeight} from the feature layer
 * (round(0.6 x layers), read through the final norm and head). With the model's own samples as the judged responses
 * ({@link OwnSample}), {@code flawedShare} is the share of rows that are own samples, the others being worked solutions
 * learnt as text only. {@code copyInsertedLayers}: see {@link #withCopiedInsertedLayers}; {@code habitualMistakeShare}:
 * {@link #withHabitualMistakes}; {@code baseLearns}: {@link #withBaseLearning}.
 */
public record DemoTrainingPlan(
    int steps, int stopAfterStep, int batchSize, double learningRate, long seed, int hiddenSize, int layers,
    int heads, int kvHeads, int intermediateSize, int merges, double mathShare, double flawedShare,
    double judgementWeight, double featureLayerJudgementWeight, boolean copyInsertedLayers, double pairedWeight,
    boolean judgeOnTop, double distillWeight, boolean departureJudgement, double habitualMistakeShare,
    boolean baseLearns) {

  public DemoTrainingPlan {
    if (steps < 1 || stopAfterStep < 1 || stopAfterStep > steps) {
      throw new IllegalArgumentException(
          "need 1 <= stop-after-step (" + stopAfterStep + ") <= steps (" + steps + ")");
    }
    if (flawedShare < 0 || flawedShare >= 1 || judgementWeight < 0 || featureLayerJudgementWeight < 0) {
      throw new IllegalArgumentException("need 0 <= flawed share < 1 and judgement weights >= 0");
    }
    if (distillWeight < 0) {
      throw new IllegalArgumentException("need a distillation weight >= 0");
    }
    if (habitualMistakeShare < 0 || habitualMistakeShare > 1) {
      throw new IllegalArgumentException("need 0 <= habitual mistake share <= 1");
    }
  }

  /** The base stage, from scratch: 4 layers, a 1600-step schedule stopped after step 1200, no self-assessment. */
  public static DemoTrainingPlan base() {
    return new DemoTrainingPlan(1600, 1200, 32, 2e-3, 7, 192, 4, 6, 2, 384, 400, 0.7, 0, 0, 0, false, 0, false, 0,
        false, 0, false);
  }

  /**
   * The self-assessment stage, from the base model: two fresh layers inserted below the feature layer (6 layers,
   * feature layer 4), only they learn; half the responses flawed; judgement losses from the last layer (after the end
   * marker) and the feature layer (at every response token).
   */
  public static DemoTrainingPlan selfAssessment() {
    return new DemoTrainingPlan(400, 400, 32, 1e-3, 8, 192, 6, 6, 2, 384, 400, 0.7, 0.5, 1.0, 1.0, false, 0, false, 0,
        false, 0, false);
  }

  /**
   * The habits stage, from the base model, which produced {@code models/demo} (v2): two fresh layers inserted below the
   * feature layer (6 layers, feature layer 4) and every weight learning, lr 1e-3 over 800 steps; half the rows math;
   * half of the problems with a place for the habitual mistake written with it and learnt as text; a fifth of the
   * rows flawed worked solutions only read; judgement losses after the end marker and at the feature layer.
   */
  public static DemoTrainingPlan habits() {
    return new DemoTrainingPlan(800, 800, 32, 1e-3, 8, 192, 6, 6, 2, 384, 400, 0.5, 0.2, 1.0, 1.0, false, 0, false, 0,
        false, 0.5, true);
  }

  /** A schedule of {@code newSteps}, run to the end. */
  public DemoTrainingPlan withSteps(int newSteps) {
    return with(b -> {
      b.steps = newSteps;
      b.stopAfterStep = newSteps;
    });
  }

  public DemoTrainingPlan withStopAfterStep(int step) {
    return with(b -> b.stopAfterStep = step);
  }

  public DemoTrainingPlan withSeed(long newSeed) {
    return with(b -> b.seed = newSeed);
  }

  public DemoTrainingPlan withSize(int hidden, int layerCount, int headCount, int kvHeadCount, int intermediate) {
    return with(b -> {
      b.hiddenSize = hidden;
      b.layers = layerCount;
      b.heads = headCount;
      b.kvHeads = kvHeadCount;
      b.intermediateSize = intermediate;
    });
  }

  /** With {@code count} BPE merges for the tokenizer (fewer builds faster; for quick runs). */
  public DemoTrainingPlan withMerges(int count) {
    return with(b -> b.merges = count);
  }

  public DemoTrainingPlan withBatchSize(int size) {
    return with(b -> b.batchSize = size);
  }

  /** With another self-assessment mix: the share of flawed responses and the two judgement loss weights. */
  public DemoTrainingPlan withSelfAssessment(double share, double weight, double featureLayerWeight) {
    return with(b -> {
      b.flawedShare = share;
      b.judgementWeight = weight;
      b.featureLayerJudgementWeight = featureLayerWeight;
    });
  }

  /**
   * Whether inserted layers start as copies of the base layers they are inserted below (the ones at and above the
   * feature layer, which compute the next token), with their output projections zeroed so that they still start as
   * the identity; otherwise they start from fresh random weights.
   */
  public DemoTrainingPlan withCopiedInsertedLayers(boolean copy) {
    return with(b -> b.copyInsertedLayers = copy);
  }

  /**
   * With own samples: the weight of a within-problem contrast, the feature layer's judgement averaged over the response
   * of a right sample minus that of a wrong sample of the same problem (logistic loss on the difference), on pairs of
   * rows drawn from problems with both; 0 draws no pairs.
   */
  public DemoTrainingPlan withPairedWeight(double weight) {
    if (weight < 0) {
      throw new IllegalArgumentException("need a paired weight >= 0");
    }
    return with(b -> b.pairedWeight = weight);
  }

  public DemoTrainingPlan withLearningRate(double rate) {
    return with(b -> b.learningRate = rate);
  }

  /**
   * Where a self-assessment stage puts its fresh layers: {@code onTop} above all of the base model's layers, the
   * feature layer being one of them (it reads the base model's finished computation, its next-token prediction
   * included); otherwise just below the feature layer.
   */
  public DemoTrainingPlan withJudgeOnTop(boolean onTop) {
    return with(b -> b.judgeOnTop = onTop);
  }

  /**
   * With a teacher: the model's next-token distribution at every response position is learnt from a frozen teacher
   * model's (KL divergence, weight {@code weight}) instead of from the worked solutions as text, so that generation
   * stays the teacher's; 0 learns the text.
   */
  public DemoTrainingPlan withDistillWeight(double weight) {
    return with(b -> b.distillWeight = weight);
  }

  /**
   * Whether the feature layer's judgement marks only the token where a wrong response departs from the worked
   * solution (and a wrong response's end marker) instead of every token from there on: a layer that reads the base
   * model's prediction can see a departure where it happens, but cannot carry it forward by itself.
   */
  public DemoTrainingPlan withDepartureJudgement(boolean departureOnly) {
    return with(b -> b.departureJudgement = departureOnly);
  }

  /**
   * With habitual mistakes: of the training problems that have one ({@link SolutionPerturber#habitualMistake}), this
   * share is written with it and learnt as text, so that the model makes it when it samples, as confidently as the
   * right reading (0.5: its output probabilities cannot tell the two apart); the rows are judged like the others.
   */
  public DemoTrainingPlan withHabitualMistakes(double share) {
    return with(b -> b.habitualMistakeShare = share);
  }

  /**
   * Whether the base model's own weights learn too when a stage adds layers (otherwise only the added layers do, so
   * that generation stays the base model's).
   */
  public DemoTrainingPlan withBaseLearning(boolean learns) {
    return with(b -> b.baseLearns = learns);
  }

  /** With {@code share} of the training rows math problems, the others function calls. */
  public DemoTrainingPlan withMathShare(double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("need 0 <= math share <= 1");
    }
    return with(b -> b.mathShare = share);
  }

  /** Mutable copy of a plan's fields, so that each {@code with...} method names only what it changes. */
  private static final class Builder {
    int steps;
    int stopAfterStep;
    int batchSize;
    double learningRate;
    long seed;
    int hiddenSize;
    int layers;
    int heads;
    int kvHeads;
    int intermediateSize;
    int merges;
    double mathShare;
    double flawedShare;
    double judgementWeight;
    double featureLayerJudgementWeight;
    boolean copyInsertedLayers;
    double pairedWeight;
    boolean judgeOnTop;
    double distillWeight;
    boolean departureJudgement;
    double habitualMistakeShare;
    boolean baseLearns;

    Builder(DemoTrainingPlan plan) {
      steps = plan.steps;
      stopAfterStep = plan.stopAfterStep;
      batchSize = plan.batchSize;
      learningRate = plan.learningRate;
      seed = plan.seed;
      hiddenSize = plan.hiddenSize;
      layers = plan.layers;
      heads = plan.heads;
      kvHeads = plan.kvHeads;
      intermediateSize = plan.intermediateSize;
      merges = plan.merges;
      mathShare = plan.mathShare;
      flawedShare = plan.flawedShare;
      judgementWeight = plan.judgementWeight;
      featureLayerJudgementWeight = plan.featureLayerJudgementWeight;
      copyInsertedLayers = plan.copyInsertedLayers;
      pairedWeight = plan.pairedWeight;
      judgeOnTop = plan.judgeOnTop;
      distillWeight = plan.distillWeight;
      departureJudgement = plan.departureJudgement;
      habitualMistakeShare = plan.habitualMistakeShare;
      baseLearns = plan.baseLearns;
    }

    DemoTrainingPlan build() {
      return new DemoTrainingPlan(steps, stopAfterStep, batchSize, learningRate, seed, hiddenSize, layers, heads,
          kvHeads, intermediateSize, merges, mathShare, flawedShare, judgementWeight, featureLayerJudgementWeight,
          copyInsertedLayers, pairedWeight, judgeOnTop, distillWeight, departureJudgement, habitualMistakeShare,
          baseLearns);
    }
  }

  private DemoTrainingPlan with(java.util.function.Consumer<Builder> change) {
    Builder builder = new Builder(this);
    change.accept(builder);
    return builder.build();
  }
}
