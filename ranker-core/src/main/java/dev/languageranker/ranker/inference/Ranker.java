package dev.languageranker.ranker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeatureBatch;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.InvalidFeaturesException;
import dev.languageranker.ranker.features.ScratchBuffer;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained ranker ready to score groups. Thread-safe: weights are only read, and every call works
 * in its own NDManager, in the spirit of DJL's one-predictor-per-thread rule (nothing mutable is
 * shared between calls).
 */
public final class Ranker implements AutoCloseable {
  /** Groups per forward pass in {@link #scoreBatch}; bounds memory for very long lists. */
  public static final int MAX_BATCH = 512;

  // One per thread: a call's arrays alias its scratch memory and are closed before the call returns.
  private static final ThreadLocal<ScratchBuffer> SCRATCH = ThreadLocal.withInitial(ScratchBuffer::new);

  private final RankerNetwork network;
  private final RankerWeights weights;
  private final NDManager manager;

  /** Takes ownership of {@code weights} (which must not require gradients). */
  public Ranker(RankerNetwork network, RankerWeights weights, NDManager manager) {
    this.network = network;
    this.weights = weights;
    this.manager = manager;
  }

  public RankerConfig config() {
    return network.config();
  }

  public RankerNetwork network() {
    return network;
  }

  public RankerWeights weights() {
    return weights;
  }

  /** One score per candidate; the highest is the ranker's choice. */
  public float[] score(FeatureGroup group) {
    return scoreBatch(List.of(group)).get(0);
  }

  /** Scores many groups of any sizes in few forward passes (padding and masks inside). */
  public List<float[]> scoreBatch(List<FeatureGroup> groups) {
    for (int g = 0; g < groups.size(); g++) {
      FeatureGroup group = groups.get(g);
      if (group.dim() != config().featureDim() || group.layer() != config().featureLayer()) {
        throw new InvalidFeaturesException("group " + g + " has features of layer " + group.layer() + ", dim " + group.dim()
            + "; this ranker reads layer " + config().featureLayer() + ", dim " + config().featureDim());
      }
    }
    float[][] results = new float[groups.size()][];
    // One dtype per forward pass; in practice all groups share one and this is a single split.
    for (FeatureDtype dtype : FeatureDtype.values()) {
      List<Integer> positions = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        if (groups.get(g).dtype() == dtype) {
          positions.add(g);
        }
      }
      for (int start = 0; start < positions.size(); start += MAX_BATCH) {
        List<Integer> slice = positions.subList(start, Math.min(positions.size(), start + MAX_BATCH));
        List<FeatureGroup> chunk = new ArrayList<>(slice.size());
        slice.forEach(p -> chunk.add(groups.get(p)));
        List<float[]> scores = scorePacked(chunk);
        for (int i = 0; i < slice.size(); i++) {
          results[slice.get(i)] = scores.get(i);
        }
      }
    }
    return Arrays.asList(results);
  }

  /**
   * Scores already-decoded groups: features (B, 1 + K, d), mask (B, K). Returns (B, K) scores as a
   * flat row-major array; entries at padding are meaningless. Temporaries belong to the features'
   * manager, which the caller owns and closes.
   */
  public float[] scoreTensors(NDArray features, NDArray mask) {
    try (NDArray scores = network.scores(weights, features, mask)) {
      return scores.toFloatArray();
    }
  }

  private List<float[]> scorePacked(List<FeatureGroup> groups) {
    try (NDManager call = manager.newSubManager()) {
      FeatureBatch batch = FeatureBatch.pack(call, groups, SCRATCH.get());
      float[] flat = network.scores(weights, batch.features(), batch.mask()).toFloatArray();
      int width = (int) batch.mask().getShape().get(1);
      List<float[]> out = new ArrayList<>(groups.size());
      for (int b = 0; b < groups.size(); b++) {
        out.add(Arrays.copyOfRange(flat, b * width, b * width + batch.sizes()[b]));
      }
      return out;
    }
  }

  @Override
  public void close() {
    weights.close();
    manager.close();
  }
}
