package dev.languageranker.ranker.data;

import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeaturePooling;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams prompts into a training shard: features are written as they come, metadata is kept in
 * memory and appended on close, then the header is filled in. Not thread-safe.
 */
public final class TrainingSetWriter implements AutoCloseable {
  private final Path path;
  private final FeatureDtype dtype;
  private final int dim;
  private final int layer;
  private final LabelType labelType;
  private final FeaturePooling pooling;
  private final OutputStream features;
  private final ByteArrayOutputStream metadataBytes = new ByteArrayOutputStream();
  private final DataOutputStream metadata = new DataOutputStream(metadataBytes);
  private int promptCount;
  private long rowCount;

  /** A writer of last-token features. */
  public TrainingSetWriter(Path path, FeatureDtype dtype, int dim, int layer, LabelType labelType) throws IOException {
    this(path, dtype, dim, layer, labelType, FeaturePooling.LAST);
  }

  public TrainingSetWriter(Path path, FeatureDtype dtype, int dim, int layer, LabelType labelType,
      FeaturePooling pooling) throws IOException {
    this.path = path;
    this.pooling = pooling;
    this.dtype = dtype;
    this.dim = dim;
    this.layer = layer;
    this.labelType = labelType;
    this.features = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20);
    features.write(new byte[TrainingSetFormat.HEADER_BYTES]);
  }

  /**
   * Appends one prompt.
   *
   * @param vectors the instruction then each candidate, {@code (1 + labels.length) * dim} elements
   *     of the writer's dtype, little-endian
   * @param answerKeys may be null
   */
  public void add(String requestId, byte[] vectors, float[] labels, float[] logProbMeans, String[] answerKeys)
      throws IOException {
    add(requestId, vectors, labels, logProbMeans, answerKeys, null);
  }

  /**
   * Appends one prompt with its candidates' response token counts.
   *
   * @param vectors the instruction then each candidate, {@code (1 + labels.length) * dim} elements
   *     of the writer's dtype, little-endian
   * @param answerKeys may be null
   * @param tokenCounts response tokens per candidate; null (or -1 entries) when unknown
   */
  public void add(String requestId, byte[] vectors, float[] labels, float[] logProbMeans, String[] answerKeys,
      int[] tokenCounts)
      throws IOException {
    if (tokenCounts != null && tokenCounts.length != labels.length) {
      throw new IllegalArgumentException("prompt " + requestId + ": labels and token counts differ in length");
    }
    long expected = (long) (1 + labels.length) * dim * dtype.bytesPerElement();
    if (vectors.length != expected) {
      throw new IllegalArgumentException(
          "prompt " + requestId + " has " + vectors.length + " feature bytes, expected " + expected);
    }
    if (logProbMeans.length != labels.length || (answerKeys != null && answerKeys.length != labels.length)) {
      throw new IllegalArgumentException(
          "prompt " + requestId + ": labels, log-probs and answer keys differ in length");
    }
    features.write(vectors);
    writeString(requestId);
    metadata.writeInt(Integer.reverseBytes(labels.length));
    for (float label : labels) {
      metadata.writeInt(Integer.reverseBytes(Float.floatToIntBits(label)));
    }
    for (float logProb : logProbMeans) {
      metadata.writeInt(Integer.reverseBytes(Float.floatToIntBits(logProb)));
    }
    for (int k = 0; k < labels.length; k++) {
      writeString(answerKeys == null ? null : answerKeys[k]);
    }
    for (int k = 0; k < labels.length; k++) {
      metadata.writeInt(Integer.reverseBytes(tokenCounts == null ? -1 : tokenCounts[k]));
    }
    promptCount++;
    rowCount += 1 + labels.length;
  }

  @Override
  public void close() throws IOException {
    features.write(metadataBytes.toByteArray());
    features.close();
    long metadataOffset = TrainingSetFormat.HEADER_BYTES + rowCount * dim * dtype.bytesPerElement();
    ByteBuffer header = ByteBuffer.allocate(TrainingSetFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(TrainingSetFormat.MAGIC).putInt(TrainingSetFormat.VERSION).putInt(dtype.code()).putInt(dim)
        .putInt(layer)
        .putInt(TrainingSetFormat.labelTypeCode(labelType)).putInt(promptCount).putInt(pooling.code())
        .putLong(rowCount).putLong(TrainingSetFormat.HEADER_BYTES).putLong(metadataOffset)
        .putLong(metadataBytes.size());
    header.flip();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.write(header, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish training shard " + path, e);
    }
  }

  private void writeString(String value) throws IOException {
    if (value == null) {
      metadata.writeInt(Integer.reverseBytes(-1));
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    metadata.writeInt(Integer.reverseBytes(utf8.length));
    metadata.write(utf8);
  }
}
