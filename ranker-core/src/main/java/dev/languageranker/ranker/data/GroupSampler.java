package dev.languageranker.ranker.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws groups of K candidates at random from each prompt's N, repeatedly. With binary labels a
 * group without both a correct and an incorrect candidate teaches nothing about ranking and is
 * dropped.
 */
public final class GroupSampler {
  private final int groupSize;
  private final int groupsPerPrompt;

  public GroupSampler(int groupSize, int groupsPerPrompt) {
    if (groupSize < 1 || groupsPerPrompt < 1) {
      throw new IllegalArgumentException("group size and groups per prompt must be positive");
    }
    this.groupSize = groupSize;
    this.groupsPerPrompt = groupsPerPrompt;
  }

  /** Groups drawn for the given prompts, plus how many were dropped. */
  public record Sample(List<Group> groups, int dropped) {}

  /**
   * @param promptIndices which prompts of {@code prompts} to draw from
   * @param dropUninformative whether to drop groups lacking a positive or a negative (training);
   *     evaluation keeps every group so baselines are measured on the same groups as the ranker
   */
  public Sample sample(List<TrainingPrompt> prompts, int[] promptIndices, LabelType labelType,
      boolean dropUninformative, SplittableRandom random) {
    List<Group> groups = new ArrayList<>();
    int dropped = 0;
    for (int p : promptIndices) {
      TrainingPrompt prompt = prompts.get(p);
      int n = prompt.candidateCount();
      // A prompt with no more than K candidates has exactly one group: all of them.
      int draws = n <= groupSize ? 1 : groupsPerPrompt;
      int[] pool = new int[n];
      for (int d = 0; d < draws; d++) {
        for (int i = 0; i < n; i++) {
          pool[i] = i;
        }
        int k = Math.min(groupSize, n);
        for (int i = 0; i < k; i++) {
          int j = i + random.nextInt(n - i);
          int swap = pool[i];
          pool[i] = pool[j];
          pool[j] = swap;
        }
        int[] chosen = Arrays.copyOf(pool, k);
        Arrays.sort(chosen);
        if (dropUninformative && labelType == LabelType.BINARY && !hasPositiveAndNegative(prompt.labels(), chosen)) {
          dropped++;
          continue;
        }
        groups.add(new Group(p, chosen));
      }
    }
    return new Sample(groups, dropped);
  }

  private static boolean hasPositiveAndNegative(float[] labels, int[] chosen) {
    boolean positive = false;
    boolean negative = false;
    for (int c : chosen) {
      if (labels[c] > 0.5f) {
        positive = true;
      } else {
        negative = true;
      }
    }
    return positive && negative;
  }
}
