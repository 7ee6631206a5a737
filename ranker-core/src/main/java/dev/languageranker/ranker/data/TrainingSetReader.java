package dev.languageranker.ranker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.features.FeatureDecoder;
import dev.languageranker.ranker.features.FeatureDtype;
import dev.languageranker.ranker.features.FeaturePooling;
import dev.languageranker.ranker.features.InvalidFeaturesException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Loads a training shard: the feature block is memory-mapped and decoded in a few large chunks. */
public final class TrainingSetReader {
  // Decoded float32 bytes per chunk: large enough that per-chunk overhead vanishes, small enough
  // to stay far below the 2 GiB limit of one mapping and of one direct buffer.
  private static final long CHUNK_BYTES = 1L << 30;

  private TrainingSetReader() {}

  public static TrainingSet read(Path path, NDManager parent) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < TrainingSetFormat.HEADER_BYTES) {
        throw new IOException(path + " is not a training shard: " + size + " bytes, shorter than the header");
      }
      ByteBuffer header = ByteBuffer.allocate(TrainingSetFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(header, 0);
      header.flip();
      if (header.getInt() != TrainingSetFormat.MAGIC) {
        throw new IOException(path + " is not a training shard (bad magic)");
      }
      int version = header.getInt();
      if (version < TrainingSetFormat.FIRST_VERSION || version > TrainingSetFormat.VERSION) {
        throw new IOException(path + " has shard format version " + version + ", this reader knows "
            + TrainingSetFormat.FIRST_VERSION + " to " + TrainingSetFormat.VERSION);
      }
      FeatureDtype dtype = FeatureDtype.fromCode(header.getInt());
      int dim = header.getInt();
      int layer = header.getInt();
      LabelType labelType = TrainingSetFormat.labelType(header.getInt());
      int promptCount = header.getInt();
      // Version 1 kept this int reserved (0) and had only last-token features.
      int poolingCode = header.getInt();
      FeaturePooling pooling;
      try {
        pooling = version == 1 ? FeaturePooling.LAST : FeaturePooling.fromCode(poolingCode);
      } catch (IllegalArgumentException e) {
        throw new IOException(path + ": " + e.getMessage(), e);
      }
      long rowCount = header.getLong();
      long featureOffset = header.getLong();
      long metadataOffset = header.getLong();
      long metadataLength = header.getLong();
      long rowBytes = (long) dim * dtype.bytesPerElement();
      if (dim <= 0 || featureOffset + rowCount * rowBytes != metadataOffset
          || metadataOffset + metadataLength != size) {
        throw new IOException(path + " is truncated or inconsistent: header says " + rowCount + " rows of " + rowBytes
            + " bytes and " + metadataLength + " metadata bytes, file has " + size);
      }
      List<TrainingPrompt> prompts = readMetadata(channel, metadataOffset, metadataLength, promptCount, rowCount,
          version, path);

      NDManager manager = parent.newSubManager();
      try {
        NDArray features = readFeatures(channel, manager, featureOffset, rowCount, dim, dtype);
        requireFinite(features, 0, prompts);
        return new TrainingSet(layer, dim, labelType, pooling, prompts, features, manager);
      } catch (RuntimeException e) {
        manager.close();
        throw e;
      }
    }
  }

  /** Fails naming the prompt whose vector holds a NaN or infinity. */
  static void requireFinite(NDArray features, long firstRow, List<TrainingPrompt> prompts) {
    long bad = FeatureDecoder.firstNonFiniteRow(features);
    if (bad < 0) {
      return;
    }
    long row = firstRow + bad;
    String owner = "unknown prompt";
    for (TrainingPrompt prompt : prompts) {
      if (row >= prompt.instructionRow() && row <= prompt.instructionRow() + prompt.candidateCount()) {
        long position = row - prompt.instructionRow();
        owner = "prompt " + prompt.requestId() + ", " + (position == 0 ? "instruction" : "candidate " + (position - 1));
        break;
      }
    }
    throw new InvalidFeaturesException(
        "training features contain NaN or infinite values at row " + row + " (" + owner + ")");
  }

  private static NDArray readFeatures(FileChannel channel, NDManager manager, long offset, long rows, int dim,
      FeatureDtype dtype)
      throws IOException {
    long rowBytes = (long) dim * dtype.bytesPerElement();
    long rowsPerChunk = Math.max(1, CHUNK_BYTES / (4L * dim));
    NDList chunks = new NDList();
    for (long start = 0; start < rows; start += rowsPerChunk) {
      long count = Math.min(rowsPerChunk, rows - start);
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset + start * rowBytes, count * rowBytes);
      chunks.add(FeatureDecoder.decode(manager, mapped, dtype, count, dim));
    }
    if (chunks.size() == 1) {
      return chunks.get(0);
    }
    NDArray all = NDArrays.concat(chunks, 0);
    chunks.close();
    return all;
  }

  private static List<TrainingPrompt> readMetadata(FileChannel channel, long offset, long length, int promptCount,
      long rowCount, int version,
      Path path)
      throws IOException {
    if (length > Integer.MAX_VALUE) {
      throw new IOException(path + " has " + length + " metadata bytes, more than this reader supports");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new IOException(path + " ends inside its metadata");
      }
    }
    buffer.flip();
    List<TrainingPrompt> prompts = new ArrayList<>(promptCount);
    long row = 0;
    try {
      for (int p = 0; p < promptCount; p++) {
        String requestId = readString(buffer);
        int n = buffer.getInt();
        if (n <= 0 || row + 1 + n > rowCount) {
          throw new IOException(
              path + ": prompt " + requestId + " claims " + n + " candidates, beyond the feature block");
        }
        float[] labels = new float[n];
        float[] logProbs = new float[n];
        String[] keys = new String[n];
        buffer.asFloatBuffer().get(labels);
        buffer.position(buffer.position() + 4 * n);
        buffer.asFloatBuffer().get(logProbs);
        buffer.position(buffer.position() + 4 * n);
        for (int k = 0; k < n; k++) {
          keys[k] = readString(buffer);
        }
        int[] tokenCounts = null;
        if (version >= 2) {
          tokenCounts = new int[n];
          buffer.asIntBuffer().get(tokenCounts);
          buffer.position(buffer.position() + 4 * n);
          if (java.util.Arrays.stream(tokenCounts).allMatch(c -> c < 0)) {
            tokenCounts = null;
          }
        }
        prompts.add(new TrainingPrompt(requestId, row, labels, logProbs, keys, tokenCounts));
        row += 1 + n;
      }
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IOException(path + ": metadata ends early", e);
    }
    if (row != rowCount) {
      throw new IOException(path + ": metadata covers " + row + " rows, the feature block has " + rowCount);
    }
    return prompts;
  }

  private static String readString(ByteBuffer buffer) throws IOException {
    int length = buffer.getInt();
    if (length < 0) {
      return null;
    }
    if (length > buffer.remaining()) {
      throw new IOException("string of " + length + " bytes runs past the metadata");
    }
    byte[] utf8 = new byte[length];
    buffer.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
