package dev.languageranker.ranker.model;

/**
 * Shape of a ranker: the features it reads and the sizes of its layers.
 *
 * @param featureDim length of the base model's hidden state
 * @param featureLayer layer the features come from; candidates from another layer are refused
 * @param projectionDim width everything is projected to (paper: 64)
 * @param blocks Transformer blocks of the listwise ranker (paper: 1; pointwise always has one MLP block)
 * @param heads attention heads per block
 * @param hiddenDim inner width of the feed-forward layers
 */
public record RankerConfig(
    RankerArchitecture architecture, int featureDim, int featureLayer, int projectionDim, int blocks, int heads, int hiddenDim) {

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
  }

  /** The paper's defaults: projection 64, one block, feed-forward twice as wide. */
  public static RankerConfig defaults(RankerArchitecture architecture, int featureDim, int featureLayer) {
    return new RankerConfig(
        architecture, featureDim, featureLayer, DEFAULT_PROJECTION_DIM, DEFAULT_BLOCKS, DEFAULT_HEADS, 2 * DEFAULT_PROJECTION_DIM);
  }

  public RankerConfig withProjection(int projection, int blockCount) {
    return new RankerConfig(architecture, featureDim, featureLayer, projection, blockCount, heads, 2 * projection);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
