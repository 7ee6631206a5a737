package dev.languageranker.ranker.model;

import dev.languageranker.ranker.side.SideFeature;
import java.util.List;

/**
 * Shape of a ranker: the features it reads and the sizes of its layers.
 *
 * @param featureDim length of the base model's hidden state
 * @param featureLayer layer the features come from; candidates from another layer are refused
 * @param projectionDim width everything is projected to (paper: 64)
 * @param blocks Transformer blocks of the listwise ranker (paper: 1; pointwise always has one MLP block)
 * @param heads attention heads per block
 * @param hiddenDim inner width of the feed-forward layers
 * @param sideFeatures dense side features the ranker reads next to the hidden states, in this order; empty for the
 *     paper's pure hidden-state ranker
 * @param hiddenStates whether the hidden states are read at all; false is a side-feature-only ranker (a learned linear
 *     score over the side features), the reference that shows what the hidden states add
 */
public record RankerConfig(
    RankerArchitecture architecture, int featureDim, int featureLayer, int projectionDim, int blocks, int heads,
    int hiddenDim,
    List<SideFeature> sideFeatures, boolean hiddenStates) {

  public static final int DEFAULT_PROJECTION_DIM = 64;
  public static final int DEFAULT_BLOCKS = 1;
  // One head: the paper does not give a head count, and at K + 1 = 11 tokens PyTorch's softmax
  // over (B, heads, 11, 11) was the most expensive op of the block (2.2 ms of ~12 ms at B = 256
  // with 4 heads); parameters are the same for any head count.
  public static final int DEFAULT_HEADS = 1;

  public RankerConfig {
    if (architecture == null) {
      throw new IllegalArgumentException("architecture is required");
    }
    requirePositive("featureDim", featureDim);
    requirePositive("projectionDim", projectionDim);
    requirePositive("blocks", blocks);
    requirePositive("heads", heads);
    requirePositive("hiddenDim", hiddenDim);
    if (projectionDim % heads != 0) {
      throw new IllegalArgumentException("projectionDim " + projectionDim + " must be divisible by heads " + heads);
    }
    sideFeatures = sideFeatures == null ? List.of() : List.copyOf(sideFeatures);
    if (sideFeatures.stream().distinct().count() != sideFeatures.size()) {
      throw new IllegalArgumentException("side features repeat: " + sideFeatures);
    }
    if (!hiddenStates && sideFeatures.isEmpty()) {
      throw new IllegalArgumentException("a ranker that reads no hidden states needs side features");
    }
  }

  /** A ranker of hidden states and the given side features. */
  public RankerConfig(RankerArchitecture architecture, int featureDim, int featureLayer, int projectionDim, int blocks,
      int heads, int hiddenDim,
      List<SideFeature> sideFeatures) {
    this(architecture, featureDim, featureLayer, projectionDim, blocks, heads, hiddenDim, sideFeatures, true);
  }

  /** A pure hidden-state ranker (no side features). */
  public RankerConfig(RankerArchitecture architecture, int featureDim, int featureLayer, int projectionDim, int blocks,
      int heads, int hiddenDim) {
    this(architecture, featureDim, featureLayer, projectionDim, blocks, heads, hiddenDim, List.of(), true);
  }

  /** Whether the ranker reads side features besides the hidden states. */
  public boolean usesSideFeatures() {
    return !sideFeatures.isEmpty();
  }

  public RankerConfig withSideFeatures(List<SideFeature> features) {
    return new RankerConfig(architecture, featureDim, featureLayer, projectionDim, blocks, heads, hiddenDim, features,
        hiddenStates);
  }

  /** The same ranker reading (true) or ignoring (false) the hidden states. */
  public RankerConfig withHiddenStates(boolean value) {
    return new RankerConfig(architecture, featureDim, featureLayer, projectionDim, blocks, heads, hiddenDim,
        sideFeatures, value);
  }

  /** The paper's defaults: projection 64, one block, feed-forward twice as wide. */
  public static RankerConfig defaults(RankerArchitecture architecture, int featureDim, int featureLayer) {
    return new RankerConfig(
        architecture, featureDim, featureLayer, DEFAULT_PROJECTION_DIM, DEFAULT_BLOCKS, DEFAULT_HEADS,
        2 * DEFAULT_PROJECTION_DIM);
  }

  public RankerConfig withProjection(int projection, int blockCount) {
    return new RankerConfig(architecture, featureDim, featureLayer, projection, blockCount, heads, 2 * projection,
        sideFeatures, hiddenStates);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
