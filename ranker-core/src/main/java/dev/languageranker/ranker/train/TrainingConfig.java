package dev.languageranker.ranker.train;

import dev.languageranker.ranker.loss.LossKind;
import dev.languageranker.ranker.model.RankerArchitecture;
import dev.languageranker.ranker.model.RankerConfig;

/**
 * Everything that determines a training run besides the data. Same config and data give identical
 * weights.
 *
 * @param loss null picks the paper's loss for the architecture and label type
 * @param groupSize K, candidates per training group (paper: 10)
 * @param groupsPerPrompt groups drawn from each prompt per epoch
 * @param holdoutFraction share of request ids (by stable hash) kept out of training for evaluation
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
    long seed) {

  public TrainingConfig {
    if (architecture == null || optimizer == null || schedule == null) {
      throw new IllegalArgumentException("architecture, optimizer and schedule are required");
    }
    if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0) {
      throw new IllegalArgumentException("need learningRate > 0, 0 <= momentum < 1, weightDecay >= 0");
    }
    if (projectionDim < 1 || blocks < 1 || batchSize < 1 || epochs < 1 || groupSize < 1 || groupsPerPrompt < 1) {
      throw new IllegalArgumentException("projectionDim, blocks, batchSize, epochs, groupSize and groupsPerPrompt must be positive");
    }
    if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdoutFraction must be in [0, 1)");
    }
  }

  /** Listwise, SGD with momentum 0.9 at lr 0.5, weight decay 1e-4, batch 256, one epoch, K = 10. */
  public static TrainingConfig defaults() {
    return new TrainingConfig(
        RankerArchitecture.LISTWISE, RankerConfig.DEFAULT_PROJECTION_DIM, RankerConfig.DEFAULT_BLOCKS, null,
        OptimizerKind.SGD, 0.5f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, 256, 1, 10, 10, 0.2, 42L);
  }

  public TrainingConfig withArchitecture(RankerArchitecture value) {
    return new TrainingConfig(value, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay, schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed);
  }

  public TrainingConfig withOptimizer(OptimizerKind value, float rate) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, value, rate, momentum, weightDecay, schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed);
  }

  public TrainingConfig withSchedule(LearningRateSchedule value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay, value, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed);
  }

  public TrainingConfig withLoss(LossKind value) {
    return new TrainingConfig(architecture, projectionDim, blocks, value, optimizer, learningRate, momentum, weightDecay, schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, seed);
  }

  public TrainingConfig withBatching(int batch, int epochCount, int groupsEachPrompt) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay, schedule, batch, epochCount, groupSize, groupsEachPrompt, holdoutFraction, seed);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(architecture, projectionDim, blocks, loss, optimizer, learningRate, momentum, weightDecay, schedule, batchSize, epochs, groupSize, groupsPerPrompt, holdoutFraction, value);
  }
}
