package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The named float32 tensors of one ranker, owned by their own NDManager. Read-only use from many
 * threads is safe (PyTorch ops only read their inputs); training mutates them in place from one
 * thread.
 */
public final class RankerWeights implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> arrays;

  private RankerWeights(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = Collections.unmodifiableMap(arrays);
  }

  /** Fresh weights for {@code specs}: Xavier-uniform matrices and constant vectors, from {@code seed} alone. */
  public static RankerWeights initialize(NDManager parent, List<ParameterSpec> specs, long seed) {
    NDManager manager = parent.newSubManager();
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (ParameterSpec spec : specs) {
      float[] values = new float[Math.toIntExact(spec.size())];
      if (spec.initialization() == ParameterSpec.Initialization.XAVIER_UNIFORM) {
        long fanOut = spec.shape()[0];
        long fanIn = spec.shape().length > 1 ? spec.shape()[1] : 1;
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
      } else {
        Arrays.fill(values, spec.value());
      }
      NDArray array = manager.create(values, new Shape(spec.shape()));
      array.setName(spec.name());
      arrays.put(spec.name(), array);
    }
    return new RankerWeights(manager, arrays);
  }

  /** Decodes safetensors bytes and checks that names and shapes are exactly {@code specs}. */
  public static RankerWeights fromSafetensors(NDManager parent, byte[] bytes, List<ParameterSpec> specs) {
    NDManager manager = parent.newSubManager();
    try {
      NDList list = NDList.decode(manager, bytes);
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray array : list) {
        byName.put(array.getName(), array);
      }
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (ParameterSpec spec : specs) {
        NDArray array = byName.remove(spec.name());
        if (array == null) {
          throw new IllegalArgumentException("weights lack tensor " + spec.name());
        }
        if (!array.getShape().equals(new Shape(spec.shape())) || array.getDataType() != DataType.FLOAT32) {
          throw new IllegalArgumentException(
              "tensor " + spec.name() + " is " + array.getShape() + " " + array.getDataType() + ", expected "
                  + new Shape(spec.shape()) + " float32");
        }
        arrays.put(spec.name(), array);
      }
      if (!byName.isEmpty()) {
        throw new IllegalArgumentException("weights have unexpected tensors " + byName.keySet());
      }
      return new RankerWeights(manager, arrays);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public NDArray get(String name) {
    NDArray array = arrays.get(name);
    if (array == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return array;
  }

  public Map<String, NDArray> arrays() {
    return arrays;
  }

  public long parameterCount() {
    return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /** Marks every tensor as trainable (gradients are collected for it). */
  public void requireGradients() {
    arrays.values().forEach(a -> a.setRequiresGradient(true));
  }

  /** The tensors in safetensors form, names kept; the bundle's weights file. */
  public byte[] toSafetensors() {
    NDList list = new NDList();
    arrays.forEach((name, array) -> {
      NDArray copy = array.stopGradient();
      copy.setName(name);
      list.add(copy);
    });
    try {
      return list.encode(NDList.Encoding.SAFETENSORS);
    } finally {
      list.close();
    }
  }

  /** A copy without gradient tracking, owned by a sub-manager of {@code parent}; for inference. */
  public RankerWeights detachedCopy(NDManager parent) {
    NDManager copyManager = parent.newSubManager();
    Map<String, NDArray> copies = new LinkedHashMap<>();
    arrays.forEach((name, array) -> {
      NDArray copy;
      try (NDArray detached = array.stopGradient()) {
        copy = detached.duplicate();
      }
      copy.attach(copyManager);
      copy.setName(name);
      copies.put(name, copy);
    });
    return new RankerWeights(copyManager, copies);
  }

  @Override
  public void close() {
    manager.close();
  }
}
