package dev.languageranker.ranker.eval;

import dev.languageranker.ranker.data.Group;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every strategy's pick on the same evaluation groups: per group the label of the picked candidate, how often a
 * random tie-break decided between candidates of different labels, and the per-prompt means that bootstrap
 * intervals resample.
 */
public final class GroupResults {
  private final List<Group> groups;
  private final int[] prompts;
  private final Map<String, double[]> picked;
  private final Map<String, Integer> ties;

  GroupResults(List<Group> groups, int[] prompts, Map<String, double[]> picked, Map<String, Integer> ties) {
    this.groups = List.copyOf(groups);
    this.prompts = prompts.clone();
    this.picked = new LinkedHashMap<>(picked);
    this.ties = new LinkedHashMap<>(ties);
  }

  /** The evaluated groups, in order. */
  public List<Group> groups() {
    return groups;
  }

  /** Strategy names in the order they were evaluated. */
  public List<String> strategies() {
    return new ArrayList<>(picked.keySet());
  }

  /** Label of the candidate each group's strategy picked (binary: 1 correct, 0 not). */
  public double[] perGroup(String strategy) {
    double[] values = picked.get(strategy);
    if (values == null) {
      throw new IllegalArgumentException("no strategy " + strategy + " in " + picked.keySet());
    }
    return values.clone();
  }

  /** Groups where the strategy's highest score was shared by candidates of different labels. */
  public int ties(String strategy) {
    return ties.getOrDefault(strategy, 0);
  }

  /** Mean over all groups. */
  public double mean(String strategy) {
    double[] values = perGroup(strategy);
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? Double.NaN : sum / values.length;
  }

  /** The strategy's mean over each prompt's groups, one value per prompt (in the order prompts were given). */
  public double[] perPrompt(String strategy) {
    double[] values = perGroup(strategy);
    double[] sums = new double[prompts.length];
    int[] counts = new int[prompts.length];
    Map<Integer, Integer> position = new LinkedHashMap<>();
    for (int i = 0; i < prompts.length; i++) {
      position.put(prompts[i], i);
    }
    for (int g = 0; g < groups.size(); g++) {
      int p = position.get(groups.get(g).prompt());
      sums[p] += values[g];
      counts[p]++;
    }
    List<Double> means = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      if (counts[i] > 0) {
        means.add(sums[i] / counts[i]);
      }
    }
    return means.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The mean over prompts with its bootstrap interval. */
  public BootstrapInterval.Estimate interval(String strategy, BootstrapInterval bootstrap) {
    return bootstrap.mean(perPrompt(strategy));
  }

  /** a minus b, paired over prompts, with its bootstrap interval. */
  public BootstrapInterval.Estimate difference(String a, String b, BootstrapInterval bootstrap) {
    return bootstrap.pairedDifference(perPrompt(a), perPrompt(b));
  }
}
