package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Pre-norm Transformer encoder block: x + attention(norm(x)), then x + feed-forward(norm(x)). */
final class TransformerBlock {
  private final LayerNormLayer attentionNorm;
  private final SelfAttentionLayer attention;
  private final LayerNormLayer feedForwardNorm;
  private final FeedForwardLayer feedForward;

  TransformerBlock(String name, int width, int heads, int hidden) {
    this.attentionNorm = new LayerNormLayer(name + ".attention_norm", width);
    this.attention = new SelfAttentionLayer(name + ".attention", width, heads);
    this.feedForwardNorm = new LayerNormLayer(name + ".ffn_norm", width);
    this.feedForward = new FeedForwardLayer(name + ".ffn", width, hidden);
  }

  List<ParameterSpec> parameters() {
    List<ParameterSpec> specs = new ArrayList<>();
    specs.addAll(attentionNorm.parameters());
    specs.addAll(attention.parameters());
    specs.addAll(feedForwardNorm.parameters());
    specs.addAll(feedForward.parameters());
    return specs;
  }

  NDArray forward(RankerWeights weights, NDArray x, NDArray keyMask) {
    NDArray attended = x.add(attention.forward(weights, attentionNorm.forward(weights, x), keyMask));
    return attended.add(feedForward.forward(weights, feedForwardNorm.forward(weights, attended)));
  }
}
