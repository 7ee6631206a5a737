package dev.languageranker.ranker.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.GroupBatch;
import dev.languageranker.ranker.data.GroupSampler;
import dev.languageranker.ranker.data.HoldoutSplit;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.eval.EvaluationReport;
import dev.languageranker.ranker.eval.Evaluator;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.loss.LossKind;
import dev.languageranker.ranker.loss.RankingLoss;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Trains a ranker on a training set: random K-groups per prompt, mini-batches, one of the paper's
 * losses, SGD with momentum or AdamW, then evaluates on the held-out prompts.
 */
public final class RankerTrainer {

  public TrainingResult train(TrainingSet set, TrainingConfig config, TrainingProgressListener listener) {
    long started = System.nanoTime();
    HoldoutSplit split = new HoldoutSplit(config.holdoutFraction());
    int[] trainPrompts = IntStream.range(0, set.prompts().size()).filter(p -> !split.isHoldout(set.prompts().get(p).requestId())).toArray();
    int[] holdoutPrompts = IntStream.range(0, set.prompts().size()).filter(p -> split.isHoldout(set.prompts().get(p).requestId())).toArray();
    if (trainPrompts.length == 0) {
      throw new IllegalArgumentException("no training prompts: all " + set.prompts().size() + " fall in the holdout split");
    }
    LossKind lossKind = config.loss() != null ? config.loss() : LossKind.defaultFor(config.architecture(), set.labelType());
    if (lossKind == LossKind.POINTWISE_BCE && set.labelType() == LabelType.REAL) {
      throw new IllegalArgumentException("binary cross-entropy needs 0/1 labels; use MSE for real-valued labels");
    }
    RankingLoss loss = RankingLoss.of(lossKind);
    RankerConfig rankerConfig = RankerConfig.defaults(config.architecture(), set.dim(), set.layer())
        .withProjection(config.projectionDim(), config.blocks());
    RankerNetwork network = RankerNetwork.of(rankerConfig);

    SplittableRandom random = new SplittableRandom(config.seed());
    GroupSampler sampler = new GroupSampler(config.groupSize(), config.groupsPerPrompt());
    List<List<Group>> epochs = new ArrayList<>();
    int dropped = 0;
    int totalSteps = 0;
    int totalGroups = 0;
    for (int e = 0; e < config.epochs(); e++) {
      GroupSampler.Sample sample = sampler.sample(set.prompts(), trainPrompts, set.labelType(), true, random);
      List<Group> groups = new ArrayList<>(sample.groups());
      Collections.shuffle(groups, new Random(random.nextLong()));
      epochs.add(groups);
      dropped += sample.dropped();
      totalGroups += groups.size();
      totalSteps += (groups.size() + config.batchSize() - 1) / config.batchSize();
    }
    if (totalGroups == 0) {
      throw new IllegalArgumentException("no training groups: every drawn group lacked a positive or a negative (" + dropped + " dropped)");
    }
    Tracker learningRate = config.schedule() == LearningRateSchedule.COSINE
        ? Tracker.cosine().setBaseValue(config.learningRate()).optFinalValue(0f).setMaxUpdates(totalSteps).build()
        : Tracker.fixed(config.learningRate());
    Optimizer optimizer = config.optimizer() == OptimizerKind.SGD
        ? Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum(config.momentum()).optWeightDecays(config.weightDecay()).build()
        : Optimizer.adamW().optLearningRateTracker(learningRate).optWeightDecays(config.weightDecay()).build();

    NDManager rankerManager = NDManager.newBaseManager();
    float lastLoss = Float.NaN;
    int step = 0;
    try (NDManager manager = NDManager.newBaseManager();
        RankerWeights weights = RankerWeights.initialize(manager, network.parameters(), config.seed())) {
      weights.requireGradients();
      for (List<Group> groups : epochs) {
        for (int start = 0; start < groups.size(); start += config.batchSize()) {
          List<Group> slice = groups.subList(start, Math.min(groups.size(), start + config.batchSize()));
          lastLoss = step(manager, set, slice, network, weights, loss, optimizer);
          step++;
          listener.onStep(step, totalSteps, lastLoss, learningRate.getNewValue(step));
        }
      }
      Ranker ranker = new Ranker(network, weights.detachedCopy(rankerManager), rankerManager);
      double trainSeconds = (System.nanoTime() - started) / 1e9;
      EvaluationReport holdout = holdoutPrompts.length == 0
          ? new EvaluationReport(Map.of())
          : new Evaluator(config.groupSize(), config.groupsPerPrompt(), config.seed() + 1).evaluate(ranker, set, holdoutPrompts);
      return new TrainingResult(ranker, holdout, config, trainPrompts.length, holdoutPrompts.length, totalGroups, dropped, step, lastLoss, trainSeconds);
    } catch (RuntimeException e) {
      rankerManager.close();
      throw e;
    }
  }

  private static float step(NDManager manager, TrainingSet set, List<Group> groups, RankerNetwork network, RankerWeights weights,
      RankingLoss loss, Optimizer optimizer) {
    try (NDManager batchManager = manager.newSubManager()) {
      GroupBatch batch = GroupBatch.gather(batchManager, set, groups);
      float value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray scores = network.scores(weights, batch.features(), batch.mask());
        NDArray objective = loss.compute(scores, batch.labels(), batch.mask());
        collector.backward(objective);
        value = objective.getFloat();
      }
      for (Map.Entry<String, NDArray> parameter : weights.arrays().entrySet()) {
        try (NDArray gradient = parameter.getValue().getGradient()) {
          optimizer.update(parameter.getKey(), parameter.getValue(), gradient);
        }
      }
      if (!Float.isFinite(value)) {
        throw new IllegalStateException("training diverged: loss is " + value + "; lower the learning rate");
      }
      return value;
    }
  }
}
