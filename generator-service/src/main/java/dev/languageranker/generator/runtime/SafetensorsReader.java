package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the tensors of a Hugging Face model directory from {@code model.safetensors} or from the shards named by
 * {@code model.safetensors.index.json}, following the documented format (8-byte little-endian header length, JSON
 * header, raw little-endian data). Our own reader rather than DJL's {@code NDList} decoder because it must read bf16
 * and sharded checkpoints and map each tensor lazily from disk.
 */
public final class SafetensorsReader {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsReader() {}

  /** Reads every tensor of the directory into {@code manager}, converted to {@code computeType}. */
  public static Map<String, NDArray> readDirectory(Path directory, NDManager manager, DataType computeType)
      throws IOException {
    Path single = directory.resolve(SINGLE_FILE);
    Path index = directory.resolve(INDEX_FILE);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    if (Files.isRegularFile(single)) {
      readFile(single, manager, computeType, tensors);
    } else if (Files.isRegularFile(index)) {
      JsonNode weightMap = JSON.readTree(index.toFile()).path("weight_map");
      TreeSet<String> shards = new TreeSet<>();
      weightMap.elements().forEachRemaining(node -> shards.add(node.asText()));
      if (shards.isEmpty()) {
        throw new UnsupportedModelException(index + ": empty weight_map");
      }
      for (String shard : shards) {
        Path shardFile = directory.resolve(shard);
        if (!Files.isRegularFile(shardFile)) {
          throw new UnsupportedModelException("Missing shard " + shardFile + " named by " + index);
        }
        readFile(shardFile, manager, computeType, tensors);
      }
    } else {
      throw new UnsupportedModelException(
          "Missing weights in " + directory + ": neither " + SINGLE_FILE + " nor " + INDEX_FILE);
    }
    return tensors;
  }

  /** Reads one safetensors file, adding its tensors to {@code into}. */
  public static void readFile(Path file, NDManager manager, DataType computeType, Map<String, NDArray> into)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > channel.size()) {
        throw new UnsupportedModelException(file + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      long dataStart = 8 + headerLength;
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getKey().equals("__metadata__")) {
          continue;
        }
        into.put(entry.getKey(), readTensor(channel, file, entry.getKey(), entry.getValue(), dataStart, manager,
            computeType));
      }
    }
  }

  private static NDArray readTensor(FileChannel channel, Path file, String name, JsonNode info, long dataStart,
      NDManager manager, DataType computeType) throws IOException {
    TensorDtype dtype = TensorDtype.fromSafetensors(info.path("dtype").asText(), name);
    JsonNode shapeNode = info.path("shape");
    long[] dims = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shapeNode.get(i).asLong();
      elements *= dims[i];
    }
    long begin = info.path("data_offsets").get(0).asLong();
    long end = info.path("data_offsets").get(1).asLong();
    if (end - begin != elements * dtype.bytes() || dataStart + end > channel.size()) {
      throw new UnsupportedModelException(file + ": tensor '" + name + "' has inconsistent offsets");
    }
    ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin)
        .order(ByteOrder.LITTLE_ENDIAN);
    NDArray raw = dtype == TensorDtype.F32
        ? manager.create(data, new Shape(dims), DataType.FLOAT32)
        : manager.create(widen(data, dtype, (int) elements), new Shape(dims));
    if (raw.getDataType() == computeType) {
      return raw;
    }
    NDArray converted = raw.toType(computeType, false);
    raw.close();
    return converted;
  }

  /**
   * 16-bit floats are widened to float32 here because DJL 0.35.1's PyTorch engine aborts the JVM when it creates or
   * converts bfloat16 tensors; bf16 to float32 is exact (the high half of the float's bits).
   */
  private static float[] widen(ByteBuffer data, TensorDtype dtype, int elements) {
    float[] values = new float[elements];
    for (int i = 0; i < elements; i++) {
      int bits = data.getShort(i * 2) & 0xffff;
      values[i] = dtype == TensorDtype.BF16 ? Float.intBitsToFloat(bits << 16) : halfToFloat(bits);
    }
    return values;
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new UnsupportedModelException("Truncated safetensors file");
      }
      at += read;
    }
  }
}
