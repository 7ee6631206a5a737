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
import dev.languageranker.ranker.side.CandidateSignals;
import dev.languageranker.ranker.side.SideFeatureScaling;
import dev.languageranker.ranker.side.SideFeatures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Trains a ranker on a training set: random K-groups per prompt, mini-batches, one of the paper's losses, SGD with
 * momentum or AdamW. A validation split of the training prompts chooses how many epochs to keep (the best epoch's
 * weights, stopping after {@code patience} epochs without improvement); then the held-out prompts are evaluated.
 */
public final class RankerTrainer {
  private static final int EVAL_BATCH = 256;

  public TrainingResult train(TrainingSet set, TrainingConfig config, TrainingProgressListener listener) {
    return train(set, config, listener, null);
  }

  /**
   * As {@link #train(TrainingSet, TrainingConfig, TrainingProgressListener)}, starting from {@code initial} (a warm
   * start) instead of fresh seeded weights; null starts fresh. Initial weights that do not fit the run (see
   * {@link InitialWeights#refusal}) are an {@link IllegalArgumentException}.
   */
  public TrainingResult train(TrainingSet set, TrainingConfig config, TrainingProgressListener listener,
      InitialWeights initial) {
    long started = System.nanoTime();
    HoldoutSplit split = new HoldoutSplit(config.holdoutFraction());
    int[] trainPrompts = IntStream.range(0, set.prompts().size())
        .filter(p -> !split.isHoldout(set.prompts().get(p).requestId())).toArray();
    int[] holdoutPrompts = IntStream.range(0, set.prompts().size())
        .filter(p -> split.isHoldout(set.prompts().get(p).requestId())).toArray();
    if (trainPrompts.length == 0) {
      throw new IllegalArgumentException(
          "no training prompts: all " + set.prompts().size() + " fall in the holdout split");
    }
    int[] validationPrompts = validationPrompts(set, config);
    int[] fitPrompts = IntStream.of(trainPrompts).filter(p -> IntStream.of(validationPrompts).noneMatch(v -> v == p))
        .toArray();
    LossKind lossKind = config.loss() != null ? config.loss()
        : LossKind.defaultFor(config.architecture(), set.labelType());
    if (lossKind == LossKind.POINTWISE_BCE && set.labelType() == LabelType.REAL) {
      throw new IllegalArgumentException("binary cross-entropy needs 0/1 labels; use MSE for real-valued labels");
    }
    RankingLoss loss = RankingLoss.of(lossKind);
    RankerConfig rankerConfig = config.rankerConfig(set.dim(), set.layer());
    if (initial != null) {
      initial.refusal(rankerConfig, set.pooling()).ifPresent(why -> {
        throw new IllegalArgumentException("cannot start from the given weights: " + why);
      });
    }
    RankerNetwork network = RankerNetwork.of(rankerConfig);

    SplittableRandom random = new SplittableRandom(config.seed());
    GroupSampler sampler = new GroupSampler(config.groupSize(), config.groupsPerPrompt());
    GroupSampler.Sample firstEpoch = sampler.sample(set.prompts(), fitPrompts, set.labelType(), true, random);
    if (firstEpoch.groups().isEmpty()) {
      throw new IllegalArgumentException("no training groups: every drawn group lacked a positive or a negative ("
          + firstEpoch.dropped() + " dropped)");
    }
    List<Group> validationGroups = validationPrompts.length == 0 ? List.of()
        : sampler
            .sample(set.prompts(), validationPrompts, set.labelType(), true, new SplittableRandom(config.seed() + 2))
            .groups();
    // Warm-started side weights keep the scale they were learned on.
    SideFeatureScaling sideScaling = initial != null && rankerConfig.usesSideFeatures()
        ? initial.sideScaling() : fitSideScaling(set, firstEpoch.groups(), rankerConfig);
    int stepsPerEpoch = (firstEpoch.groups().size() + config.batchSize() - 1) / config.batchSize();
    int plannedSteps = stepsPerEpoch * config.epochs();
    Tracker learningRate = config.schedule() == LearningRateSchedule.COSINE
        ? Tracker.cosine().setBaseValue(config.learningRate()).optFinalValue(0f).setMaxUpdates(plannedSteps).build()
        : Tracker.fixed(config.learningRate());
    Optimizer optimizer = optimizer(config, learningRate);
    boolean distinctAnswers = config.distinctAnswers() && lossKind == LossKind.LISTWISE_KL;

    NDManager rankerManager = NDManager.newBaseManager();
    try (NDManager manager = NDManager.newBaseManager();
        RankerWeights weights = initial == null
            ? RankerWeights.initialize(manager, network.parameters(), config.seed())
            : initial.weights().detachedCopy(manager)) {
      FeatureStandardization standardization = config.standardize()
          ? FeatureStandardization.fit(manager, set, fitPrompts, config.seed() + 3) : null;
      if (initial != null && standardization != null && rankerConfig.hiddenStates()) {
        standardization.unfoldFrom(weights); // they read raw features; this run feeds standardized ones
      }
      Step stepper = new Step(set, network, loss, optimizer, standardization, sideScaling, distinctAnswers);
      // A ranker of side features starts from their linear score fitted to convergence (a convex problem in a handful
      // of weights); the hidden state, whose score enters through a gate that starts at zero, is then kept only as far
      // as validation says it helps. A warm start of such a ranker keeps the side weights it was given (a side-only
      // ranker has nothing else to train, so it is fitted as usual).
      SideScoreFit.Result sideFit = null;
      if (rankerConfig.usesSideFeatures() && (initial == null || !rankerConfig.hiddenStates())) {
        sideFit = SideScoreFit.fit(stepper.fitGroups(firstEpoch.groups()), rankerConfig.sideFeatures().size(),
            lossKind);
        weights.get(RankerNetwork.SIDE_SCORE_WEIGHT).set(sideFit.weights());
      }
      weights.requireGradients();
      NDManager bestManager = manager.newSubManager();
      RankerWeights best = null;
      double bestAccuracy = Double.NEGATIVE_INFINITY;
      double bestLoss = Double.POSITIVE_INFINITY;
      int bestEpoch = 0;
      // Training stops once neither validation accuracy nor validation loss has improved for `patience` epochs: top-1
      // accuracy moves in steps, and a ranker whose hidden-state score is still growing through its gate (the loss
      // falling) would otherwise be stopped before it overtakes the side features (measured: `bench loop` with the
      // trainer's defaults stopped after 66 steps at 0.34 in one run, ran 330 steps to 0.83 in another).
      double lowestLoss = Double.POSITIVE_INFINITY;
      int lastImprovement = 0;
      // The side-feature score (or a warm start's weights) is replaced only by an epoch significantly better on
      // validation: picking the best of many noisy epochs otherwise keeps hidden states that only fit the validation
      // groups (measured on the demo model's math: listwise + side 0.763 on the test problems against 0.807 for the
      // side features alone, after an epoch 0.006 better on validation).
      Validation startingPoint = null;
      boolean diverged = false;
      // The side-score fit and the first epoch train on one sample: its groups count once.
      int dropped = firstEpoch.dropped();
      int groupsSeen = firstEpoch.groups().size();
      int step = 0;
      int epoch = 0;
      float epochLoss = Float.NaN;
      GroupSampler.Sample sample = firstEpoch;
      if ((sideFit != null || initial != null) && !validationGroups.isEmpty()) {
        // Epoch 0: the side-feature score alone, or the weights of a warm start, the result to beat.
        best = weights.detachedCopy(bestManager);
        startingPoint = stepper.validate(manager, validationGroups, best);
        bestAccuracy = startingPoint.accuracy();
        bestLoss = startingPoint.loss();
        lowestLoss = startingPoint.loss();
      }
      if (sideFit != null) {
        epochLoss = (float) sideFit.loss();
      }
      // Only the side features' weights: their fit is final.
      int epochs = rankerConfig.hiddenStates() ? config.epochs() : 0;
      while (epoch < epochs) {
        epoch++;
        if (epoch > 1) {
          sample = sampler.sample(set.prompts(), fitPrompts, set.labelType(), true, random);
          dropped += sample.dropped();
          groupsSeen += sample.groups().size();
        }
        List<Group> groups = new ArrayList<>(sample.groups());
        Collections.shuffle(groups, new Random(random.nextLong()));
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < groups.size(); start += config.batchSize()) {
          List<Group> slice = groups.subList(start, Math.min(groups.size(), start + config.batchSize()));
          float value = stepper.run(manager, slice, weights);
          if (!Float.isFinite(value)) {
            if (best == null) {
              throw new IllegalStateException("training diverged: loss is " + value + " at step " + (step + 1)
                  + " before any validated epoch; lower the learning rate");
            }
            // A late divergence loses nothing validated: keep the best epoch so far.
            diverged = true;
            break;
          }
          lossSum += value;
          batches++;
          step++;
          listener.onStep(step, plannedSteps, value, learningRate.getNewValue(step));
        }
        if (diverged) {
          break;
        }
        epochLoss = (float) (lossSum / Math.max(1, batches));
        if (validationGroups.isEmpty()) {
          continue;
        }
        RankerWeights snapshot = weights.detachedCopy(bestManager);
        Validation validation = stepper.validate(manager, validationGroups, snapshot);
        boolean better = validation.accuracy() > bestAccuracy + 1e-12
            || (Math.abs(validation.accuracy() - bestAccuracy) <= 1e-12 && validation.loss() < bestLoss);
        // A loss that still falls by a percent an epoch counts as progress; slower falls are the long tail of fitting
        // the training groups ever more sharply (which on the demo's function calls ran to divergence).
        if (better || validation.loss() < lowestLoss * 0.99) {
          lastImprovement = epoch;
        }
        lowestLoss = Math.min(lowestLoss, validation.loss());
        better = better && (startingPoint == null || validation.significantlyBetterThan(startingPoint));
        if (better) {
          if (best != null) {
            best.close();
          }
          best = snapshot;
          bestAccuracy = validation.accuracy();
          bestLoss = validation.loss();
          bestEpoch = epoch;
        } else {
          snapshot.close();
          if (epoch - lastImprovement >= config.patience()) {
            break;
          }
        }
      }
      RankerWeights kept = best != null ? best.detachedCopy(rankerManager) : weights.detachedCopy(rankerManager);
      if (best == null) {
        bestEpoch = epoch;
      }
      bestManager.close();
      if (standardization != null && rankerConfig.hiddenStates()) {
        standardization.foldInto(kept);
      }
      Ranker ranker = new Ranker(network, kept, rankerManager, set.pooling(), sideScaling);
      double trainSeconds = (System.nanoTime() - started) / 1e9;
      EvaluationReport holdout = holdoutPrompts.length == 0
          ? new EvaluationReport(Map.of())
          : new Evaluator(config.groupSize(), config.groupsPerPrompt(), config.seed() + 1).evaluate(ranker, set,
              holdoutPrompts);
      return new TrainingResult(ranker, holdout, config, trainPrompts.length, holdoutPrompts.length, groupsSeen,
          dropped, step,
          epochLoss, trainSeconds, epoch, bestEpoch, validationGroups.isEmpty() ? Double.NaN : bestAccuracy,
          validationPrompts.length);
    } catch (RuntimeException e) {
      rankerManager.close();
      throw e;
    }
  }

  /**
   * The training prompts a run with {@code config} uses for validation (choosing epochs), not for fitting: a
   * {@code validationFraction} of the non-holdout prompts by a stable hash of their ids, salted so it is independent
   * of the holdout split. Empty when either side would be empty.
   */
  public static int[] validationPrompts(TrainingSet set, TrainingConfig config) {
    HoldoutSplit holdout = new HoldoutSplit(config.holdoutFraction());
    HoldoutSplit validation = new HoldoutSplit(config.validationFraction());
    int[] train = IntStream.range(0, set.prompts().size())
        .filter(p -> !holdout.isHoldout(set.prompts().get(p).requestId())).toArray();
    int[] chosen = IntStream.of(train)
        .filter(p -> validation.isHoldout("validation|" + set.prompts().get(p).requestId())).toArray();
    return chosen.length == 0 || chosen.length == train.length ? new int[0] : chosen;
  }

  private static Optimizer optimizer(TrainingConfig config, Tracker rate) {
    return config.optimizer() == OptimizerKind.SGD
        ? Optimizer.sgd().setLearningRateTracker(rate).optMomentum(config.momentum())
            .optWeightDecays(config.weightDecay()).build()
        : Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays(config.weightDecay()).build();
  }

  private static SideFeatureScaling fitSideScaling(TrainingSet set, List<Group> groups, RankerConfig config) {
    if (!config.usesSideFeatures()) {
      return null;
    }
    List<float[]> rows = new ArrayList<>();
    for (CandidateSignals signals : GroupBatch.signals(set, groups)) {
      Collections.addAll(rows, SideFeatures.compute(config.sideFeatures(), signals));
    }
    return SideFeatureScaling.fit(rows, config.sideFeatures().size());
  }

  /** A validation pass: top-1 accuracy, mean loss, and the top-1 label of every group (for paired comparisons). */
  private record Validation(double accuracy, double loss, double[] perGroup) {

    /**
     * Whether this is better than {@code reference} on the same groups beyond validation noise: the mean paired
     * difference of the groups' top-1 labels is above 1.645 standard errors (one-sided, 95%).
     */
    boolean significantlyBetterThan(Validation reference) {
      int n = perGroup.length;
      double mean = 0;
      for (int g = 0; g < n; g++) {
        mean += perGroup[g] - reference.perGroup[g];
      }
      mean /= n;
      double variance = 0;
      for (int g = 0; g < n; g++) {
        double d = perGroup[g] - reference.perGroup[g] - mean;
        variance += d * d;
      }
      double standardError = Math.sqrt(variance / Math.max(1, n - 1) / n);
      return mean > 0 && mean > 1.645 * standardError;
    }
  }

  /** One optimisation step and the validation pass, with the run's fixed pieces. */
  private record Step(TrainingSet set, RankerNetwork network, RankingLoss loss, Optimizer optimizer,
      FeatureStandardization standardization, SideFeatureScaling sideScaling, boolean distinctAnswers) {

    float run(NDManager manager, List<Group> groups, RankerWeights weights) {
      try (NDManager batchManager = manager.newSubManager()) {
        GroupBatch batch = GroupBatch.gather(batchManager, set, groups);
        NDArray features = standardization == null ? batch.features() : standardization.apply(batch.features());
        NDArray side = side(batchManager, groups, batch.width());
        float value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray scores = network.scores(weights, features, side, batch.mask());
          NDArray objective = loss.compute(lossScores(batchManager, scores, groups), batch.labels(), batch.mask());
          collector.backward(objective);
          value = objective.getFloat();
        }
        for (Map.Entry<String, NDArray> parameter : weights.arrays().entrySet()) {
          try (NDArray gradient = parameter.getValue().getGradient()) {
            optimizer.update(parameter.getKey(), parameter.getValue(), gradient);
          }
        }
        return value;
      }
    }

    /** Top-1 accuracy, mean loss and each group's top-1 label of (detached) weights on the validation groups. */
    Validation validate(NDManager manager, List<Group> groups, RankerWeights weights) {
      double correct = 0;
      double lossSum = 0;
      double[] perGroup = new double[groups.size()];
      for (int start = 0; start < groups.size(); start += EVAL_BATCH) {
        List<Group> slice = groups.subList(start, Math.min(groups.size(), start + EVAL_BATCH));
        try (NDManager batchManager = manager.newSubManager()) {
          GroupBatch batch = GroupBatch.gather(batchManager, set, slice);
          NDArray features = standardization == null ? batch.features() : standardization.apply(batch.features());
          NDArray scores = network.scores(weights, features, side(batchManager, slice, batch.width()), batch.mask());
          lossSum += loss.compute(lossScores(batchManager, scores, slice), batch.labels(), batch.mask()).getFloat()
              * slice.size();
          float[] flat = scores.toFloatArray();
          float[] labels = batch.labels().toFloatArray();
          int width = batch.width();
          for (int b = 0; b < slice.size(); b++) {
            int bestK = 0;
            for (int k = 1; k < slice.get(b).size(); k++) {
              if (flat[b * width + k] > flat[b * width + bestK]) {
                bestK = k;
              }
            }
            correct += labels[b * width + bestK];
            perGroup[start + b] = labels[b * width + bestK];
          }
        }
      }
      return new Validation(correct / groups.size(), lossSum / groups.size(), perGroup);
    }

    /** The scores the loss sees: with distinct answers, each candidate's minus the log of its answer's count. */
    private NDArray lossScores(NDManager manager, NDArray scores, List<Group> groups) {
      if (!distinctAnswers) {
        return scores;
      }
      int width = (int) scores.getShape().get(1);
      float[] offsets = new float[groups.size() * width];
      List<CandidateSignals> signals = GroupBatch.signals(set, groups);
      for (int b = 0; b < groups.size(); b++) {
        double[] group = answerCountOffsets(signals.get(b));
        for (int k = 0; k < group.length; k++) {
          offsets[b * width + k] = (float) group[k];
        }
      }
      return scores.add(manager.create(offsets, scores.getShape()));
    }

    /** The groups as the side-feature score's fit reads them: scaled side features, labels, loss offsets. */
    List<SideScoreFit.FitGroup> fitGroups(List<Group> groups) {
      List<SideScoreFit.FitGroup> out = new ArrayList<>(groups.size());
      List<CandidateSignals> signals = GroupBatch.signals(set, groups);
      for (int b = 0; b < groups.size(); b++) {
        CandidateSignals group = signals.get(b);
        float[][] side = SideFeatures.compute(network.config().sideFeatures(), group);
        for (float[] row : side) {
          sideScaling.applyInPlace(row);
        }
        float[] labels = new float[group.size()];
        for (int k = 0; k < labels.length; k++) {
          labels[k] = set.prompts().get(groups.get(b).prompt()).labels()[groups.get(b).candidates()[k]];
        }
        out.add(new SideScoreFit.FitGroup(side, labels, distinctAnswers ? answerCountOffsets(group) : null));
      }
      return out;
    }

    /** Minus the log of how many candidates of the group share each one's answer (0 for a candidate without a key). */
    private static double[] answerCountOffsets(CandidateSignals group) {
      float[] shares = SideFeatures.voteShares(group.answerKeys(), group.size());
      double[] offsets = new double[shares.length];
      for (int k = 0; k < shares.length; k++) {
        offsets[k] = -Math.log(shares[k] * shares.length);
      }
      return offsets;
    }

    private NDArray side(NDManager manager, List<Group> groups, int width) {
      if (!network.config().usesSideFeatures()) {
        return null;
      }
      return SideFeatures.tensor(manager, network.config().sideFeatures(), sideScaling, GroupBatch.signals(set, groups),
          width);
    }
  }
}
