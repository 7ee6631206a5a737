package dev.languageranker.ranker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeaturePooling;
import java.util.List;

/**
 * Prompts with their labeled candidates, and every feature vector in one float32 table (rows, dim)
 * so that a batch of groups is a single gather.
 */
public final class TrainingSet implements AutoCloseable {
  private final int layer;
  private final int dim;
  private final LabelType labelType;
  private final FeaturePooling pooling;
  private final List<TrainingPrompt> prompts;
  private final NDArray features;
  private final NDManager manager;

  TrainingSet(int layer, int dim, LabelType labelType, FeaturePooling pooling, List<TrainingPrompt> prompts,
      NDArray features, NDManager manager) {
    this.layer = layer;
    this.pooling = pooling;
    this.dim = dim;
    this.labelType = labelType;
    this.prompts = List.copyOf(prompts);
    this.features = features;
    this.manager = manager;
  }

  public int layer() {
    return layer;
  }

  public int dim() {
    return dim;
  }

  /** How the response features were pooled over their tokens. */
  public FeaturePooling pooling() {
    return pooling;
  }

  public LabelType labelType() {
    return labelType;
  }

  public List<TrainingPrompt> prompts() {
    return prompts;
  }

  /** (rows, dim) float32: per prompt its instruction, then its candidates. */
  public NDArray features() {
    return features;
  }

  public long candidateCount() {
    return prompts.stream().mapToLong(TrainingPrompt::candidateCount).sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
