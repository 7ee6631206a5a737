package dev.languageranker.trainer;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.Group;
import dev.languageranker.ranker.data.GroupBatch;
import dev.languageranker.ranker.data.LabelType;
import dev.languageranker.ranker.data.TrainingPrompt;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.inference.Ranker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Per held-out request, the label of the candidate each strategy picks from all of the request's candidates, as a
 * ranker service would serve it: the challenger, the champion (its ranker, or the fallback), first sample, majority
 * vote, mean log-prob and the oracle. Binary labels count 1 for correct; real labels are taken as they are.
 */
record HoldoutScores(LabelType labelType, Map<String, double[]> perStrategy, String championStrategy) {
  static final String CHALLENGER = "challenger";
  static final String CHAMPION = "champion";
  static final String FIRST_SAMPLE = "first_sample";
  static final String ORACLE = "oracle";
  private static final int BATCH = 256;

  int n() {
    return perStrategy.get(CHALLENGER).length;
  }

  /**
   * Scores every held-out request.
   *
   * @param champion the champion ranker, or null when the champion is the fallback strategy
   */
  static HoldoutScores score(TrainingSet set, int[] holdout, Ranker challenger, Ranker champion) {
    List<TrainingPrompt> prompts = set.prompts();
    int[] challengerPicks = argmaxPicks(set, holdout, challenger);
    int[] championPicks = champion == null ? null : argmaxPicks(set, holdout, champion);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String s : List.of(CHALLENGER, CHAMPION, FIRST_SAMPLE, FallbackChoice.MAJORITY_VOTE,
        FallbackChoice.MEAN_LOGPROB, ORACLE)) {
      out.put(s, new double[holdout.length]);
    }
    boolean anyKeys = false;
    boolean anyNoKeys = false;
    for (int i = 0; i < holdout.length; i++) {
      TrainingPrompt p = prompts.get(holdout[i]);
      boolean keyed = FallbackChoice.strategyFor(p).equals(FallbackChoice.MAJORITY_VOTE);
      anyKeys |= keyed;
      anyNoKeys |= !keyed;
      out.get(CHALLENGER)[i] = value(set, p, challengerPicks[i]);
      out.get(CHAMPION)[i] = value(set, p, championPicks == null ? FallbackChoice.pick(p) : championPicks[i]);
      out.get(FIRST_SAMPLE)[i] = value(set, p, FallbackChoice.firstSample(p));
      out.get(FallbackChoice.MAJORITY_VOTE)[i] = value(set, p, FallbackChoice.majorityVote(p));
      out.get(FallbackChoice.MEAN_LOGPROB)[i] = value(set, p, FallbackChoice.meanLogProb(p));
      out.get(ORACLE)[i] = value(set, p, FallbackChoice.oracle(p));
    }
    if (!anyKeys) {
      out.remove(FallbackChoice.MAJORITY_VOTE); // no answers to vote over: it would only repeat mean log-prob
    }
    String championStrategy = champion != null ? "ranker"
        : anyKeys && anyNoKeys ? "fallback (majority_vote where answers exist, else mean_logprob)"
            : anyKeys ? FallbackChoice.MAJORITY_VOTE : FallbackChoice.MEAN_LOGPROB;
    return new HoldoutScores(set.labelType(), out, championStrategy);
  }

  /** Held-out prompt indices of {@code set} under {@code isHoldout}. */
  static int[] holdoutIndices(TrainingSet set, java.util.function.Predicate<String> isHoldout) {
    return IntStream.range(0, set.prompts().size()).filter(i -> isHoldout.test(set.prompts().get(i).requestId()))
        .toArray();
  }

  private static double value(TrainingSet set, TrainingPrompt p, int candidate) {
    if (candidate < 0) {
      return Double.NaN;
    }
    double label = p.labels()[candidate];
    return set.labelType() == LabelType.BINARY ? (label > 0.5 ? 1 : 0) : label;
  }

  /**
   * The ranker's pick per request, over all of the request's candidates, scored as a ranker service scores them (side
   * features from the request's answer keys, mean log-probs and token counts included); ties go to the earlier sample.
   */
  private static int[] argmaxPicks(TrainingSet set, int[] holdout, Ranker ranker) {
    int[] picks = new int[holdout.length];
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int start = 0; start < holdout.length; start += BATCH) {
        List<Group> groups = new ArrayList<>();
        for (int i = start; i < Math.min(holdout.length, start + BATCH); i++) {
          TrainingPrompt p = set.prompts().get(holdout[i]);
          groups.add(new Group(holdout[i], IntStream.range(0, p.candidateCount()).toArray()));
        }
        float[] scores;
        int width;
        try (NDManager batchManager = manager.newSubManager()) {
          GroupBatch batch = GroupBatch.gather(batchManager, set, groups);
          scores = ranker.scoreGathered(batch, ranker.usesSideFeatures() ? GroupBatch.signals(set, groups) : null);
          width = batch.width();
        }
        for (int b = 0; b < groups.size(); b++) {
          int best = 0;
          for (int k = 0; k < groups.get(b).size() && best >= 0; k++) {
            float s = scores[b * width + k];
            if (!Float.isFinite(s)) {
              best = -1; // no pick: the request's value is NaN, and the gate fails closed
            } else if (s > scores[b * width + best]) {
              best = k;
            }
          }
          picks[start + b] = best;
        }
      }
    }
    return picks;
  }
}
