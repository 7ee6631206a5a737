package dev.languageranker.ranker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.GroupBatch;
import dev.languageranker.ranker.features.FeatureBatch;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.features.InvalidFeaturesException;
import dev.languageranker.ranker.features.ScratchBuffer;
import dev.languageranker.ranker.model.RankerConfig;
import dev.languageranker.ranker.model.RankerNetwork;
import dev.languageranker.ranker.model.RankerWeights;
import dev.languageranker.ranker.side.CandidateSignals;
import dev.languageranker.ranker.side.SideFeatureScaling;
import dev.languageranker.ranker.side.SideFeatures;
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
  private final FeaturePooling pooling;
  private final SideFeatureScaling sideScaling;

  /** A ranker of last-token features; takes ownership of {@code weights} (which must not require gradients). */
  public Ranker(RankerNetwork network, RankerWeights weights, NDManager manager) {
    this(network, weights, manager, FeaturePooling.LAST, null);
  }

  /**
   * Takes ownership of {@code weights} (which must not require gradients).
   *
   * @param pooling the pooling of the response features it was trained on
   * @param sideScaling training statistics of its side features; null: unscaled (or no side features)
   */
  public Ranker(RankerNetwork network, RankerWeights weights, NDManager manager, FeaturePooling pooling,
      SideFeatureScaling sideScaling) {
    this.network = network;
    this.weights = weights;
    this.manager = manager;
    this.pooling = pooling == null ? FeaturePooling.LAST : pooling;
    int count = network.config().sideFeatures().size();
    this.sideScaling = sideScaling == null ? SideFeatureScaling.identity(count) : sideScaling;
    if (this.sideScaling.size() != count) {
      throw new IllegalArgumentException(
          "side feature scaling has " + this.sideScaling.size() + " features, the ranker reads " + count);
    }
  }

  /** The pooling of the response features this ranker reads; features of another pooling must not be scored. */
  public FeaturePooling pooling() {
    return pooling;
  }

  /** Whether scoring needs each group's {@link CandidateSignals}. */
  public boolean usesSideFeatures() {
    return network.config().usesSideFeatures();
  }

  public SideFeatureScaling sideScaling() {
    return sideScaling;
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

  /** One score per candidate; the highest is the ranker's choice. For a ranker without side features. */
  public float[] score(FeatureGroup group) {
    return scoreBatch(List.of(group)).get(0);
  }

  /** One score per candidate, with the group's signals for the side features (null for a pure hidden-state ranker). */
  public float[] score(FeatureGroup group, CandidateSignals signals) {
    return scoreBatch(List.of(group), signals == null ? null : List.of(signals)).get(0);
  }

  /** Scores many groups of any sizes in few forward passes (padding and masks inside); for a ranker without side features. */
  public List<float[]> scoreBatch(List<FeatureGroup> groups) {
    return scoreBatch(groups, null);
  }

  /**
   * Scores many groups of any sizes in few forward passes.
   *
   * @param signals per group, in the same order and candidate order, what the side features are computed from; may be
   *     null for a ranker without side features (they are ignored then)
   */
  public List<float[]> scoreBatch(List<FeatureGroup> groups, List<CandidateSignals> signals) {
    if (usesSideFeatures()) {
      if (signals == null || signals.size() != groups.size()) {
        throw new IllegalArgumentException("this ranker reads side features " + config().sideFeatures()
            + " and needs each group's candidate signals (answer keys, mean log-probs, token counts)");
      }
      for (int g = 0; g < groups.size(); g++) {
        if (signals.get(g).size() != groups.get(g).size()) {
          throw new IllegalArgumentException(
              "group " + g + " has " + groups.get(g).size() + " candidates but signals for "
                  + signals.get(g).size());
        }
      }
    }
    for (int g = 0; g < groups.size(); g++) {
      FeatureGroup group = groups.get(g);
      if (group.dim() != config().featureDim() || group.layer() != config().featureLayer()) {
        throw new InvalidFeaturesException(
            "group " + g + " has features of layer " + group.layer() + ", dim " + group.dim()
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
        List<CandidateSignals> chunkSignals = usesSideFeatures() ? new ArrayList<>(slice.size()) : null;
        slice.forEach(p -> {
          chunk.add(groups.get(p));
          if (chunkSignals != null) {
            chunkSignals.add(signals.get(p));
          }
        });
        List<float[]> scores = scorePacked(chunk, chunkSignals);
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
    if (usesSideFeatures()) {
      throw new IllegalArgumentException("this ranker reads side features " + config().sideFeatures()
          + "; score it with its groups' candidate signals");
    }
    return scoreTensors(features, null, mask);
  }

  /**
   * Scores groups gathered from a training set exactly as a ranker service scores them: hidden states, and for a
   * ranker with side features the features computed from each group's {@code signals} and scaled as in training.
   * Evaluation and the trainer's gate score through here, so what they measure is what would be served.
   *
   * @param signals per group of the batch, in its order (see {@link GroupBatch#signals}); ignored without side features
   * @return (B, K) scores, flat row-major; entries at padding are meaningless
   */
  public float[] scoreGathered(GroupBatch batch, List<CandidateSignals> signals) {
    NDArray side = usesSideFeatures() ? sideTensor(batch.mask().getManager(), signals, batch.width()) : null;
    return scoreTensors(batch.features(), side, batch.mask());
  }

  /**
   * As {@link #scoreTensors(NDArray, NDArray)}, with (B, K, S) side features already scaled by {@link #sideScaling()}
   * (null for a ranker without side features).
   */
  public float[] scoreTensors(NDArray features, NDArray side, NDArray mask) {
    try (NDArray scores = network.scores(weights, features, usesSideFeatures() ? side : null, mask)) {
      return scores.toFloatArray();
    }
  }

  /**
   * The scaled side features of groups padded to {@code width} candidates: (B, width, S) float32, zeros at padding.
   */
  public NDArray sideTensor(NDManager target, List<CandidateSignals> signals, int width) {
    return SideFeatures.tensor(target, config().sideFeatures(), sideScaling, signals, width);
  }

  private List<float[]> scorePacked(List<FeatureGroup> groups, List<CandidateSignals> signals) {
    try (NDManager call = manager.newSubManager()) {
      FeatureBatch batch = FeatureBatch.pack(call, groups, SCRATCH.get());
      int packedWidth = (int) batch.mask().getShape().get(1);
      NDArray side = signals == null ? null : sideTensor(call, signals, packedWidth);
      float[] flat = network.scores(weights, batch.features(), side, batch.mask()).toFloatArray();
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
