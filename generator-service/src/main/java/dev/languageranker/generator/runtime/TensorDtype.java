package dev.languageranker.generator.runtime;

import ai.djl.ndarray.types.DataType;

/** Element types of safetensors files that this runtime reads and writes. */
public enum TensorDtype {
  F32("F32", 4, DataType.FLOAT32), F16("F16", 2, DataType.FLOAT16), BF16("BF16", 2, DataType.BFLOAT16);

  private final String safetensorsName;
  private final int bytes;
  private final DataType djlType;

  TensorDtype(String safetensorsName, int bytes, DataType djlType) {
    this.safetensorsName = safetensorsName;
    this.bytes = bytes;
    this.djlType = djlType;
  }

  public String safetensorsName() {
    return safetensorsName;
  }

  public int bytes() {
    return bytes;
  }

  public DataType djlType() {
    return djlType;
  }

  /** The type for a safetensors dtype string, refusing others with the tensor's name. */
  public static TensorDtype fromSafetensors(String name, String tensor) {
    for (TensorDtype dtype : values()) {
      if (dtype.safetensorsName.equals(name)) {
        return dtype;
      }
    }
    throw new UnsupportedModelException("Tensor '" + tensor + "' has unsupported dtype " + name);
  }

  /** The compute type named as in configuration ({@code float32}, {@code float16}, {@code bfloat16}). */
  public static DataType computeType(String name) {
    return switch (name.toLowerCase()) {
      case "float32", "fp32", "f32" -> DataType.FLOAT32;
      case "float16", "fp16", "f16", "half" -> DataType.FLOAT16;
      case "bfloat16", "bf16" -> throw new IllegalArgumentException(
          "bfloat16 compute is not available: DJL 0.35.1's PyTorch engine aborts on bfloat16 tensors; "
              + "use float16 or float32 (bf16 checkpoints load fine)");
      default -> throw new IllegalArgumentException(
          "Unknown dtype '" + name + "'; use float32, float16 or bfloat16");
    };
  }
}
