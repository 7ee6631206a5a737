package dev.languageranker.ranker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.languageranker.ranker.side.CandidateSignals;
import java.util.ArrayList;
import java.util.List;

/**
 * Training groups gathered from a set's feature table: features (B, 1 + Kmax, d), labels and mask
 * (B, Kmax). Padding points at the group's instruction row and is masked out.
 */
public record GroupBatch(NDArray features, NDArray labels, NDArray mask) {

  public static GroupBatch gather(NDManager manager, TrainingSet set, List<Group> groups) {
    int maxK = groups.stream().mapToInt(Group::size).max().orElseThrow();
    int width = maxK + 1;
    long[] rows = new long[groups.size() * width];
    float[] labels = new float[groups.size() * maxK];
    float[] mask = new float[groups.size() * maxK];
    for (int b = 0; b < groups.size(); b++) {
      Group group = groups.get(b);
      TrainingPrompt prompt = set.prompts().get(group.prompt());
      rows[b * width] = prompt.instructionRow();
      for (int k = 0; k < maxK; k++) {
        boolean real = k < group.size();
        rows[b * width + 1 + k] = real ? prompt.responseRow(group.candidates()[k]) : prompt.instructionRow();
        labels[b * maxK + k] = real ? prompt.labels()[group.candidates()[k]] : 0f;
        mask[b * maxK + k] = real ? 1f : 0f;
      }
    }
    NDArray index = manager.create(rows, new Shape(groups.size(), width));
    NDArray features = set.features().get(index);
    // The gathered copy belongs to the table's manager until moved; keep it with this batch.
    features.attach(manager);
    return new GroupBatch(features, manager.create(labels, new Shape(groups.size(), maxK)),
        manager.create(mask, new Shape(groups.size(), maxK)));
  }

  /** Each group's candidate signals (answer keys, mean log-probs, token counts), for side features. */
  public static List<CandidateSignals> signals(TrainingSet set, List<Group> groups) {
    List<CandidateSignals> signals = new ArrayList<>(groups.size());
    for (Group group : groups) {
      signals.add(set.prompts().get(group.prompt()).signals(group.candidates()));
    }
    return signals;
  }

  /** Padded width (largest K) of this batch. */
  public int width() {
    return (int) mask.getShape().get(1);
  }
}
