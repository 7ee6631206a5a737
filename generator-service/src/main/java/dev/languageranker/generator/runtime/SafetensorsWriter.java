package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes tensors as one safetensors file (F32 or BF16), in the layout Hugging Face's loaders read. */
public final class SafetensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /** Writes {@code tensors} in their map order with element type {@code dtype} (F32 or BF16). */
  public static void write(Path file, Map<String, NDArray> tensors, TensorDtype dtype) throws IOException {
    if (dtype == TensorDtype.F16) {
      throw new IllegalArgumentException("Writing F16 is not supported; use F32 or BF16");
    }
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
      long size = entry.getValue().size() * dtype.bytes();
      ObjectNode info = header.putObject(entry.getKey());
      info.put("dtype", dtype.safetensorsName());
      ArrayNode shape = info.putArray("shape");
      for (long dim : entry.getValue().getShape().getShape()) {
        shape.add(dim);
      }
      info.putArray("data_offsets").add(offset).add(offset + size);
      offset += size;
    }
    byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (headerBytes.length + 7) / 8 * 8; // the format asks for 8-byte alignment of the data
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      for (int i = headerBytes.length; i < padded; i++) {
        out.write(' ');
      }
      for (NDArray tensor : tensors.values()) {
        float[] values = tensor.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
          if (dtype == TensorDtype.F32) {
            buffer.putFloat(value);
          } else {
            buffer.putShort(toBfloat16(value));
          }
        }
        out.write(buffer.array());
      }
    }
  }

  /** Rounds a float to bf16 (round to nearest even), as PyTorch's conversion does. */
  static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) 0x7fc0;
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }
}
