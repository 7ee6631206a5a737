package dev.languageranker.ranker.eval;

import ai.djl.ndarray.NDManager;
import dev.languageranker.answers.selection.SelectionCandidate;
import dev.languageranker.answers.selection.Selections;
import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.GroupBatch;
import dev.languageranker.ranker.data.GroupSampler;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import dev.languageranker.ranker.side.CandidateSignals;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Measures rankers against the baselines on the same held-out groups: first sample, majority vote (when answer keys
 * exist), highest mean log-prob and the oracle, picked by {@link Selections} with its tie rules. A ranker picks its
 * highest score, exact ties broken at random from a seeded stream; ties between candidates of different labels are
 * counted for every strategy.
 */
public final class Evaluator {
  public static final String FIRST_SAMPLE = "first_sample";
  public static final String MAJORITY_VOTE = "majority_vote";
  public static final String MEAN_LOGPROB = "mean_logprob";
  public static final String ORACLE = "oracle";
  private static final int BATCH = 256;
  private final GroupSampler sampler;
  private final long seed;

  public Evaluator(int groupSize, int groupsPerPrompt, long seed) {
    this.sampler = new GroupSampler(groupSize, groupsPerPrompt);
    this.seed = seed;
  }

  /** One ranker against the baselines, as averages (the trainer's held-out metrics). */
  public EvaluationReport evaluate(Ranker ranker, TrainingSet set, int[] promptIndices) {
    GroupResults results = compare(Map.of(SelectionStrategy.RANKER.metricPrefix(), ranker), set, promptIndices);
    boolean anyAnswerKey = Arrays.stream(promptIndices)
        .anyMatch(p -> Arrays.stream(set.prompts().get(p).answerKeys()).anyMatch(k -> k != null));
    String suffix = set.labelType() == LabelType.BINARY ? "_accuracy" : "_mean_label";
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (SelectionStrategy strategy : SelectionStrategy.values()) {
      if (strategy == SelectionStrategy.MAJORITY_VOTE && !anyAnswerKey) {
        continue;
      }
      metrics.put(strategy.metricPrefix() + suffix, results.mean(strategy.metricPrefix()));
    }
    metrics.put("holdout_ties", (double) results.ties(SelectionStrategy.RANKER.metricPrefix()));
    metrics.put("holdout_groups", (double) results.groups().size());
    metrics.put("holdout_prompts", (double) promptIndices.length);
    return new EvaluationReport(metrics);
  }

  /**
   * Every ranker and every baseline on the same groups (all drawn groups are kept, uninformative or not: a
   * baseline's accuracy is only meaningful on all groups). Rankers with side features get each group's signals.
   *
   * @param rankers by the name their results are reported under; must not use the baselines' names
   */
  public GroupResults compare(Map<String, Ranker> rankers, TrainingSet set, int[] promptIndices) {
    List<Group> groups = sampler
        .sample(set.prompts(), promptIndices, set.labelType(), false, new SplittableRandom(seed)).groups();
    Map<String, double[]> picked = new LinkedHashMap<>();
    Map<String, Integer> ties = new LinkedHashMap<>();
    Map<String, TieBreaker> breakers = new LinkedHashMap<>();
    List<String> names = new java.util.ArrayList<>(List.of(FIRST_SAMPLE, MAJORITY_VOTE, MEAN_LOGPROB, ORACLE));
    for (String name : rankers.keySet()) {
      if (names.contains(name)) {
        throw new IllegalArgumentException("a ranker may not be named like a baseline: " + name);
      }
      names.add(name);
    }
    for (int i = 0; i < names.size(); i++) {
      picked.put(names.get(i), new double[groups.size()]);
      ties.put(names.get(i), 0);
      breakers.put(names.get(i), new TieBreaker(seed * 31 + names.get(i).hashCode()));
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int start = 0; start < groups.size(); start += BATCH) {
        List<Group> slice = groups.subList(start, Math.min(groups.size(), start + BATCH));
        Map<String, double[]> rankerScores = new LinkedHashMap<>();
        int width;
        try (NDManager batchManager = manager.newSubManager()) {
          GroupBatch batch = GroupBatch.gather(batchManager, set, slice);
          width = batch.width();
          List<CandidateSignals> signals = rankers.values().stream().anyMatch(Ranker::usesSideFeatures)
              ? GroupBatch.signals(set, slice) : null;
          for (Map.Entry<String, Ranker> entry : rankers.entrySet()) {
            float[] scores = entry.getValue().scoreGathered(batch, signals);
            rankerScores.put(entry.getKey(), IntStream.range(0, scores.length).mapToDouble(i -> scores[i]).toArray());
          }
        }
        for (int b = 0; b < slice.size(); b++) {
          Group group = slice.get(b);
          TrainingPrompt prompt = set.prompts().get(group.prompt());
          double[] labels = Baselines.oracle(prompt, group);
          int g = start + b;
          List<SelectionCandidate> candidates = Baselines.candidates(prompt, group);
          recordBaseline(picked, ties, FIRST_SAMPLE, Baselines.firstSample(group), group,
              Selections.firstSample(candidates), labels, g);
          recordBaseline(picked, ties, MAJORITY_VOTE, Baselines.majorityVote(prompt, group), group,
              Selections.majorityVote(candidates), labels, g);
          recordBaseline(picked, ties, MEAN_LOGPROB, Baselines.meanLogProb(prompt, group), group,
              Selections.meanLogProb(candidates), labels, g);
          recordBaseline(picked, ties, ORACLE, labels, group, Selections.oracle(candidates), labels, g);
          for (Map.Entry<String, double[]> entry : rankerScores.entrySet()) {
            record(picked, ties, breakers, entry.getKey(), entry.getValue(), b * width, labels, g);
          }
        }
      }
    }
    return new GroupResults(groups, promptIndices, picked, ties);
  }

  private static void record(Map<String, double[]> picked, Map<String, Integer> ties, Map<String, TieBreaker> breakers,
      String name,
      double[] scores, int offset, double[] labels, int g) {
    TieBreaker.Pick pick = breakers.get(name).pick(scores, offset, labels.length, labels);
    picked.get(name)[g] = labels[pick.position()];
    if (pick.tiedOnOutcome()) {
      ties.merge(name, 1, Integer::sum);
    }
  }

  /**
   * A baseline's pick; a tie is counted when the strategy's top score was shared by candidates of different labels
   * (its tie rule decided the outcome).
   */
  private static void recordBaseline(Map<String, double[]> picked, Map<String, Integer> ties, String name,
      double[] scores, Group group, int candidateIndex, double[] labels, int g) {
    picked.get(name)[g] = labels[Baselines.position(group, candidateIndex)];
    double best = Arrays.stream(scores).max().orElse(Double.NaN);
    double label = Double.NaN;
    for (int k = 0; k < scores.length; k++) {
      if (scores[k] == best) {
        if (Double.isNaN(label)) {
          label = labels[k];
        } else if (labels[k] != label) {
          ties.merge(name, 1, Integer::sum);
          return;
        }
      }
    }
  }

  /** Indices of every prompt, for callers that evaluate a whole set. */
  public static int[] allPrompts(TrainingSet set) {
    return IntStream.range(0, set.prompts().size()).toArray();
  }
}
