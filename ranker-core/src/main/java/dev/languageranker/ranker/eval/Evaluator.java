package dev.languageranker.ranker.eval;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.GroupBatch;
import dev.languageranker.ranker.data.GroupSampler;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Measures a ranker against the baselines on the same held-out groups: first sample, majority vote
 * (when answer keys exist), highest mean log-prob and the oracle.
 */
public final class Evaluator {
  private static final int BATCH = 256;
  private final GroupSampler sampler;
  private final long seed;

  public Evaluator(int groupSize, int groupsPerPrompt, long seed) {
    this.sampler = new GroupSampler(groupSize, groupsPerPrompt);
    this.seed = seed;
  }

  public EvaluationReport evaluate(Ranker ranker, TrainingSet set, int[] promptIndices) {
    // Every group is kept, uninformative or not: a baseline's accuracy is only meaningful on all groups.
    List<Group> groups = sampler.sample(set.prompts(), promptIndices, set.labelType(), false, new SplittableRandom(seed)).groups();
    Map<SelectionStrategy, double[]> picked = new EnumMap<>(SelectionStrategy.class);
    for (SelectionStrategy strategy : SelectionStrategy.values()) {
      picked.put(strategy, new double[groups.size()]);
    }
    boolean anyAnswerKey = false;
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int start = 0; start < groups.size(); start += BATCH) {
        List<Group> slice = groups.subList(start, Math.min(groups.size(), start + BATCH));
        float[] scores;
        int width;
        try (NDManager batchManager = manager.newSubManager()) {
          GroupBatch batch = GroupBatch.gather(batchManager, set, slice);
          scores = ranker.scoreTensors(batch.features(), batch.mask());
          width = (int) batch.mask().getShape().get(1);
        }
        for (int b = 0; b < slice.size(); b++) {
          Group group = slice.get(b);
          TrainingPrompt prompt = set.prompts().get(group.prompt());
          anyAnswerKey |= Arrays.stream(group.candidates()).anyMatch(c -> prompt.answerKeys()[c] != null);
          int g = start + b;
          picked.get(SelectionStrategy.RANKER)[g] = labelAt(prompt, group, argmax(scores, b * width, group.size()));
          picked.get(SelectionStrategy.FIRST_SAMPLE)[g] = labelAt(prompt, group, BaselineSelector.firstSample(group));
          picked.get(SelectionStrategy.MAJORITY_VOTE)[g] = labelAt(prompt, group, BaselineSelector.majorityVote(prompt, group));
          picked.get(SelectionStrategy.MEAN_LOGPROB)[g] = labelAt(prompt, group, BaselineSelector.meanLogProb(prompt, group));
          picked.get(SelectionStrategy.ORACLE)[g] = labelAt(prompt, group, BaselineSelector.oracle(prompt, group));
        }
      }
    }
    String suffix = set.labelType() == LabelType.BINARY ? "_accuracy" : "_mean_label";
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (SelectionStrategy strategy : SelectionStrategy.values()) {
      if (strategy == SelectionStrategy.MAJORITY_VOTE && !anyAnswerKey) {
        continue;
      }
      double[] values = picked.get(strategy);
      boolean binary = set.labelType() == LabelType.BINARY;
      double mean = Arrays.stream(values).map(v -> binary ? (v > 0.5 ? 1 : 0) : v).average().orElse(Double.NaN);
      metrics.put(strategy.metricPrefix() + suffix, mean);
    }
    metrics.put("holdout_groups", (double) groups.size());
    metrics.put("holdout_prompts", (double) promptIndices.length);
    return new EvaluationReport(metrics);
  }

  private static double labelAt(TrainingPrompt prompt, Group group, int position) {
    return prompt.labels()[group.candidates()[position]];
  }

  private static int argmax(float[] scores, int offset, int count) {
    int best = 0;
    for (int k = 1; k < count; k++) {
      if (scores[offset + k] > scores[offset + best]) {
        best = k;
      }
    }
    return best;
  }

  /** Indices of every prompt, for callers that evaluate a whole set. */
  public static int[] allPrompts(TrainingSet set) {
    return IntStream.range(0, set.prompts().size()).toArray();
  }
}
