package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
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
  private final HiddenStateLayers layers;
  private final List<TransformerBlock> blocks = new ArrayList<>();

  public ListwiseRanker(RankerConfig config) {
    this.config = config;
    this.layers = new HiddenStateLayers(config);
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
    List<ParameterSpec> body = new ArrayList<>();
    blocks.forEach(block -> body.addAll(block.parameters()));
    return layers.parameters(body);
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
    // The side features join each candidate's vector before the blocks, so attention sees them in context.
    NDArray x = layers.project(weights, features, sideFeatures);
    // The instruction is always present; padding candidates are hidden from attention.
    NDArray keyMask = mask.getManager().ones(new Shape(mask.getShape().get(0), 1)).concat(mask, 1);
    for (TransformerBlock block : blocks) {
      x = block.forward(weights, x, keyMask);
    }
    return layers.score(weights, x, sideFeatures);
  }
}
