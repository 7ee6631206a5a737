package dev.languageranker.ranker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeatureDecoder;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.features.FeatureGroup;
import dev.languageranker.ranker.features.InvalidFeaturesException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Collects labeled groups (as a service receives them) and decodes all features in one bulk pass. */
public final class TrainingSetBuilder {
  private final int layer;
  private final int dim;
  private final FeatureDtype dtype;
  private final LabelType labelType;
  private final FeaturePooling pooling;
  private final List<TrainingPrompt> prompts = new ArrayList<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private long rows;

  /** A builder of last-token features. */
  public TrainingSetBuilder(int layer, int dim, FeatureDtype dtype, LabelType labelType) {
    this(layer, dim, dtype, labelType, FeaturePooling.LAST);
  }

  public TrainingSetBuilder(int layer, int dim, FeatureDtype dtype, LabelType labelType, FeaturePooling pooling) {
    this.pooling = pooling;
    this.layer = layer;
    this.dim = dim;
    this.dtype = dtype;
    this.labelType = labelType;
  }

  /** Adds one prompt; {@code answerKeys} may be null when there are none. */
  public TrainingSetBuilder add(String requestId, FeatureGroup group, float[] labels, float[] logProbMeans,
      String[] answerKeys) {
    return add(requestId, group, labels, logProbMeans, answerKeys, null);
  }

  /** Adds one prompt with its candidates' response token counts ({@code tokenCounts} null when unknown). */
  public TrainingSetBuilder add(String requestId, FeatureGroup group, float[] labels, float[] logProbMeans,
      String[] answerKeys,
      int[] tokenCounts) {
    if (group.layer() != layer || group.dim() != dim || group.dtype() != dtype) {
      throw new InvalidFeaturesException(
          "prompt " + requestId + " has features layer " + group.layer() + ", dim " + group.dim() + ", " + group.dtype()
              + "; this set holds layer " + layer + ", dim " + dim + ", " + dtype);
    }
    if (labels.length != group.size()) {
      throw new IllegalArgumentException(
          "prompt " + requestId + " has " + group.size() + " candidates but " + labels.length + " labels");
    }
    String[] keys = answerKeys == null ? new String[labels.length] : answerKeys;
    prompts.add(new TrainingPrompt(requestId, rows, labels.clone(), logProbMeans.clone(), keys.clone(),
        tokenCounts == null ? null : tokenCounts.clone()));
    append(group.instruction());
    group.responses().forEach(this::append);
    rows += 1 + group.size();
    return this;
  }

  private void append(ByteBuffer vector) {
    ByteBuffer v = vector.duplicate();
    byte[] copy = new byte[v.remaining()];
    v.get(copy);
    bytes.writeBytes(copy);
  }

  public TrainingSet build(NDManager parent) {
    NDManager manager = parent.newSubManager();
    try {
      NDArray features = FeatureDecoder.decode(manager, ByteBuffer.wrap(bytes.toByteArray()), dtype, rows, dim);
      TrainingSetReader.requireFinite(features, 0, prompts);
      return new TrainingSet(layer, dim, labelType, pooling, prompts, features, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }
}
