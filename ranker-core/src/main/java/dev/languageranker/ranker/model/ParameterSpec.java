package dev.languageranker.ranker.model;

import java.util.Arrays;

/** One named trainable tensor: its shape and how it starts. */
public record ParameterSpec(String name, long[] shape, Initialization initialization, float value) {

  /** How a parameter is initialised; CONSTANT uses {@code value}. */
  public enum Initialization {
    XAVIER_UNIFORM, CONSTANT
  }

  public static ParameterSpec xavier(String name, long... shape) {
    return new ParameterSpec(name, shape, Initialization.XAVIER_UNIFORM, 0f);
  }

  public static ParameterSpec constant(String name, float value, long... shape) {
    return new ParameterSpec(name, shape, Initialization.CONSTANT, value);
  }

  public long size() {
    return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }
}
