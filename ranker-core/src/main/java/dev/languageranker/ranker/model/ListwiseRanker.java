package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The listwise Language Ranker: project [i, r_1..r_K] to projectionDim, run Transformer blocks over
 * the K+1 vectors so each candidate is seen in the context of the others, score by cosine to the
 * transformed instruction.
 */
public final class ListwiseRanker implements RankerNetwork {
  private final RankerConfig config;
  private final LinearLayer projection;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final CosineScoreHead head = new CosineScoreHead();
  private final SideFeatureLayer side;

  public ListwiseRanker(RankerConfig config) {
    this.config = config;
    this.projection = new LinearLayer("projection", config.featureDim(), config.projectionDim());
    this.side = config.usesSideFeatures() ? new SideFeatureLayer(config.sideFeatures().size(), config.projectionDim()) : null;
    for (int b = 0; b < config.blocks(); b++) {
      blocks.add(new TransformerBlock("block" + b, config.projectionDim(), config.heads(), config.hiddenDim()));
    }
  }

  @Override
  public RankerConfig config() {
    return config;
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = new ArrayList<>(projection.parameters());
    blocks.forEach(block -> specs.addAll(block.parameters()));
    specs.addAll(head.parameters());
    if (side != null) {
      specs.addAll(side.parameters());
    }
    return specs;
  }

  @Override
  public long forwardFlops(int k) {
    long tokens = k + 1L;
    long p = config.projectionDim();
    long projection = 2 * tokens * config.featureDim() * p;
    long attention = 4 * 2 * tokens * p * p + 2 * 2 * tokens * tokens * p;
    long feedForward = 2 * 2 * tokens * p * config.hiddenDim();
    return projection + config.blocks() * (attention + feedForward) + 2 * k * p;
  }

  @Override
  public NDArray scores(RankerWeights weights, NDArray features, NDArray sideFeatures, NDArray mask) {
    NDArray x = projection.forward(weights, features);
    if (side != null) {
      requireSide(sideFeatures);
      // The side features join each candidate's vector before the blocks, so attention sees them in context.
      NDArray responses = x.get(new NDIndex(":, 1:, :")).add(side.embed(weights, sideFeatures));
      x = x.get(new NDIndex(":, :1, :")).concat(responses, 1);
    }
    // The instruction is always present; padding candidates are hidden from attention.
    NDArray keyMask = mask.getManager().ones(new Shape(mask.getShape().get(0), 1)).concat(mask, 1);
    for (TransformerBlock block : blocks) {
      x = block.forward(weights, x, keyMask);
    }
    NDArray scores = head.forward(weights, x.get(new NDIndex(":, 0, :")), x.get(new NDIndex(":, 1:, :")));
    return side == null ? scores : side.combine(weights, scores, sideFeatures);
  }

  private void requireSide(NDArray sideFeatures) {
    if (sideFeatures == null || sideFeatures.getShape().get(2) != side.features()) {
      throw new IllegalArgumentException("this ranker reads side features " + config.sideFeatures() + "; got "
          + (sideFeatures == null ? "none" : sideFeatures.getShape().toString()));
    }
  }
}
