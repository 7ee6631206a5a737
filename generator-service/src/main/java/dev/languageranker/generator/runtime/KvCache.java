package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the positions seen so far ({@code [batch, kvHeads, positions, headDim]}). The
 * arrays outlive the per-step {@link NDScope}s of the generator, so they are unregistered from them and closed here.
 */
public final class KvCache implements AutoCloseable {

  private final NDArray[] keys;
  private final NDArray[] values;

  public KvCache(int layers) {
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Appends the new positions' keys and values of a layer and returns the whole sequence's. */
  NDList append(int layer, NDArray newKeys, NDArray newValues) {
    NDArray allKeys = keys[layer] == null ? newKeys : keys[layer].concat(newKeys, 2);
    NDArray allValues = values[layer] == null ? newValues : values[layer].concat(newValues, 2);
    replace(layer, allKeys, allValues);
    return new NDList(allKeys, allValues);
  }

  /** Repeats every row {@code times} times in place (row p becomes rows p*times .. p*times+times-1). */
  void repeatRows(int times) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        replace(i, keys[i].repeat(0, times), values[i].repeat(0, times));
      }
    }
  }

  /** Positions held (0 when empty). */
  public long length() {
    return keys[0] == null ? 0 : keys[0].getShape().get(2);
  }

  private void replace(int layer, NDArray allKeys, NDArray allValues) {
    NDScope.unregister(allKeys, allValues);
    if (keys[layer] != null && keys[layer] != allKeys) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = allKeys;
    values[layer] = allValues;
  }

  @Override
  public void close() {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        keys[i].close();
        values[i].close();
        keys[i] = null;
        values[i] = null;
      }
    }
  }
}
