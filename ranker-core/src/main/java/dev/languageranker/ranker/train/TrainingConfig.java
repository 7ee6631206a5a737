package dev.languageranker.ranker.train;

import dev.languageranker.ranker.loss.LossKind;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.side.SideFeature;
import java.util.List;

/**
 * Everything that determines a training run besides the data. Same config and data give identical
 * weights.
 *
 * @param loss null picks the paper's loss for the architecture and label type
 * @param epochs the most epochs to run; with a validation split training stops earlier once validation stops improving
 * @param groupSize K, candidates per training group (paper: 10)
 * @param groupsPerPrompt groups drawn from each prompt per epoch
 * @param holdoutFraction share of request ids (by stable hash) kept out of training for evaluation
 * @param sideFeatures side features the ranker reads next to the hidden states (empty: the paper's ranker)
 * @param validationFraction share of the training prompts (by another stable hash) held out to choose the number of
 *     epochs and stop early; 0 runs all epochs
 * @param patience epochs without a better validation result before stopping
 * @param standardize whether hidden-state features are standardized per dimension with training statistics (folded
 *     into the projection when training ends, so the bundle reads raw features)
 * @param hiddenStates false trains a side-feature-only ranker (needs side features)
 * @param distinctAnswers the listwise loss treats candidates that share an answer key as one answer (each enters the
 *     softmax with weight 1 / its count): the softmax already adds up the mass of repeated answers, so the plain loss
 *     counts a repeated right answer twice and pushes rankers toward one-off answers (on the demo model the side-feature
 *     score fitted with it weighted vote share negatively); only the loss changes, not how candidates are scored
 */
public record TrainingConfig(
    RankerArchitecture architecture,
    int projectionDim,
    int blocks,
    LossKind loss,
    OptimizerKind optimizer,
    float learningRate,
    float momentum,
    float weightDecay,
    LearningRateSchedule schedule,
    int batchSize,
    int epochs,
    int groupSize,
    int groupsPerPrompt,
    double holdoutFraction,
    long seed,
    List<SideFeature> sideFeatures,
    double validationFraction,
    int patience,
    boolean standardize,
    boolean hiddenStates,
    boolean distinctAnswers) {

  /** AdamW's default rate here: features are standardized, so one rate suits any model's hidden-state scale. */
  public static final float DEFAULT_ADAMW_RATE = 2e-3f;

  public TrainingConfig {
    if (architecture == null || optimizer == null || schedule == null) {
      throw new IllegalArgumentException("architecture, optimizer and schedule are required");
    }
    if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0) {
      throw new IllegalArgumentException("need learningRate > 0, 0 <= momentum < 1, weightDecay >= 0");
    }
    if (projectionDim < 1 || blocks < 1 || batchSize < 1 || epochs < 1 || groupSize < 1 || groupsPerPrompt < 1) {
      throw new IllegalArgumentException(
          "projectionDim, blocks, batchSize, epochs, groupSize and groupsPerPrompt must be positive");
    }
    if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdoutFraction must be in [0, 1)");
    }
    if (!(validationFraction >= 0 && validationFraction < 1) || patience < 1) {
      throw new IllegalArgumentException("validationFraction must be in [0, 1) and patience positive");
    }
    sideFeatures = sideFeatures == null ? List.of() : List.copyOf(sideFeatures);
  }

  /** The configuration of earlier versions (no side features, no validation split, unstandardized features). */
  public TrainingConfig(RankerArchitecture architecture, int projectionDim, int blocks, LossKind loss,
      OptimizerKind optimizer,
      float learningRate, float momentum, float weightDecay, LearningRateSchedule schedule, int batchSize, int epochs,
      int groupSize, int groupsPerPrompt, double holdoutFraction, long seed) {
    this(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay, schedule, batchSize,
        epochs,
        groupSize, groupsPerPrompt, holdoutFraction, seed, List.of(), 0, 1, false, true, false);
  }

  /**
   * Defaults that reach a plateau on the demo's and MBPP's sizes: listwise, AdamW at 2e-3 with weight decay 1e-2,
   * batch 64, up to 50 short epochs of 2 groups per prompt, stopped when validation (a fifth of the training prompts)
   * has not improved for 2 epochs, features standardized, K = 10, no side features, repeated answers counted once in
   * the listwise loss. Short epochs keep what early
   * stopping wastes after the best epoch small: with 5 groups per prompt and patience 3 MBPP-sized training took
   * 8.2 CPU-seconds, with 2 and patience 3 4.5-5.0.
   */
  public static TrainingConfig defaults() {
    return new TrainingConfig(
        RankerArchitecture.LISTWISE, RankerConfig.DEFAULT_PROJECTION_DIM, RankerConfig.DEFAULT_BLOCKS, null,
        OptimizerKind.ADAMW, DEFAULT_ADAMW_RATE, 0.9f, 1e-2f, LearningRateSchedule.CONSTANT, 64, 50, 10, 2, 0.2, 42L,
        List.of(), 0.2, 2, true, true, true);
  }

  /** The shape of the ranker this configuration trains on features of {@code featureDim} from {@code featureLayer}. */
  public RankerConfig rankerConfig(int featureDim, int featureLayer) {
    return RankerConfig.defaults(architecture, featureDim, featureLayer).withProjection(projectionDim, blocks)
        .withSideFeatures(sideFeatures).withHiddenStates(hiddenStates);
  }

  public TrainingConfig withArchitecture(RankerArchitecture value) {
    return new TrainingConfig(value, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withProjection(int projection, int blockCount) {
    return new TrainingConfig(architecture, projection, blockCount, loss, optimizer, learningRate, momentum,
        weightDecay, schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withOptimizer(OptimizerKind value, float rate) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, value, rate, momentum, weightDecay, schedule,
        batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures, validationFraction,
        patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withWeightDecay(float value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, value,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withSchedule(LearningRateSchedule value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        value, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures, validationFraction,
        patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withLoss(LossKind value) {
    return new TrainingConfig(architecture, projectionDim, blocks, value, optimizer, learningRate, momentum,
        weightDecay, schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withBatching(int batch, int epochCount, int groupsEachPrompt) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batch, epochCount, groupSize, groupsEachPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withGroupSize(int k) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, k, groupsPerPrompt, holdoutFraction, seed, sideFeatures, validationFraction,
        patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, value, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withHoldoutFraction(double value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, value, seed, sideFeatures, validationFraction,
        patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withSideFeatures(List<SideFeature> value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, value, validationFraction,
        patience, standardize, hiddenStates, distinctAnswers);
  }

  public TrainingConfig withEarlyStopping(double validation, int patienceEpochs) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures, validation,
        patienceEpochs, standardize, hiddenStates, distinctAnswers);
  }

  /** A side-feature-only ranker (false) or one that reads the hidden states too (true). */
  public TrainingConfig withHiddenStates(boolean value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, value, distinctAnswers);
  }

  /** Whether the listwise loss counts candidates sharing an answer key as one answer (see the record's parameters). */
  public TrainingConfig withDistinctAnswers(boolean value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, standardize, hiddenStates, value);
  }

  public TrainingConfig withStandardization(boolean value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay,
        schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed, sideFeatures,
        validationFraction, patience, value, hiddenStates, distinctAnswers);
  }
}
