package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Incremental decoding of a batch of rows with a key/value cache.
 *
 * <p>Rows of different lengths are left-padded: row {@code b} with {@code pad[b]} padding
 * columns has its token at column {@code j} at position {@code j - pad[b]}, and a key mask
 * hides the padding columns from every query. Each call returns the log-softmax of the raw
 * logits at every row's newest position, as one {@code [B * V]} transfer.
 */
final class KvDecoder implements AutoCloseable {
  private final GptParameters params;
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private NDArray keyMask; // [B, 1, 1, K]: 0 where visible, MASKED on padding columns
  private long[] nextPosition;

  KvDecoder(GptParameters params) {
    this.params = params;
    this.manager = params.manager().newSubManager();
    int layers = params.config().layers();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  int rows() {
    return nextPosition == null ? 0 : nextPosition.length;
  }

  /** Positions the next fed token of each row will take. */
  long nextPosition(int row) {
    return nextPosition[row];
  }

  /**
   * Runs the prompts (each non-empty, at most the context long) through the model.
   *
   * @return {@code [B * V]} log-probs of the token after each prompt
   */
  float[] prefill(int[][] inputs) {
    int b = inputs.length;
    int width = 0;
    for (int[] row : inputs) {
      width = Math.max(width, row.length);
    }
    long[] ids = new long[b * width];
    long[] positions = new long[b * width];
    float[] padMask = new float[b * width];
    nextPosition = new long[b];
    for (int r = 0; r < b; r++) {
      int pad = width - inputs[r].length;
      for (int j = 0; j < width; j++) {
        int at = r * width + j;
        if (j < pad) {
          padMask[at] = GptModel.MASKED;
        } else {
          ids[at] = inputs[r][j - pad];
          positions[at] = j - pad;
        }
      }
      nextPosition[r] = inputs[r].length;
    }
    try (NDScope scope = new NDScope()) {
      keyMask = keep(manager.create(padMask, new Shape(b, 1, 1, width)));
      NDArray mask = GptModel.causalMask(manager, width).reshape(1, 1, width, width).add(keyMask);
      NDArray x = forward(
          manager.create(ids, new Shape(b, width)), manager.create(positions, new Shape(b, width)), mask);
      return GptModel.head(params, x.get(":, -1, :")).logSoftmax(-1).toFloatArray();
    }
  }

  /**
   * Feeds one token per row.
   *
   * @return {@code [B * V]} log-probs of the token after it
   */
  float[] step(int[] tokens) {
    int b = tokens.length;
    if (b != rows()) {
      throw new IllegalArgumentException(b + " tokens for " + rows() + " rows");
    }
    long[] ids = new long[b];
    for (int r = 0; r < b; r++) {
      ids[r] = tokens[r];
    }
    try (NDScope scope = new NDScope()) {
      NDArray positions = manager.create(nextPosition, new Shape(b, 1));
      NDArray grown = keyMask.concat(manager.zeros(new Shape(b, 1, 1, 1)), 3);
      replaceKeyMask(keep(grown));
      NDArray x = forward(manager.create(ids, new Shape(b, 1)), positions, keyMask);
      for (int r = 0; r < b; r++) {
        nextPosition[r]++;
      }
      return GptModel.head(params, x.get(":, -1, :")).logSoftmax(-1).toFloatArray();
    }
  }

  /** Keeps only the given rows, in the given order; the others are dropped from the cache. */
  void retain(int[] rows) {
    long[] index = new long[rows.length];
    long[] positions = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      index[i] = rows[i];
      positions[i] = nextPosition[rows[i]];
    }
    try (NDScope scope = new NDScope()) {
      NDArray selector = manager.create(index);
      for (int l = 0; l < keys.length; l++) {
        NDArray k = keep(keys[l].get(selector));
        NDArray v = keep(values[l].get(selector));
        keys[l].close();
        values[l].close();
        keys[l] = k;
        values[l] = v;
      }
      replaceKeyMask(keep(keyMask.get(selector)));
    }
    nextPosition = positions;
  }

  private NDArray forward(NDArray ids, NDArray positions, NDArray mask) {
    NDArray x = GptModel.embed(params.tokenEmbedding(), ids)
        .add(GptModel.embed(params.positionEmbedding(), positions)); // [B, S, C]
    for (int l = 0; l < keys.length; l++) {
      x = GptModel.block(params, l, x, mask, this::extend);
    }
    return x;
  }

  private NDArray[] extend(int layer, NDArray newKeys, NDArray newValues) {
    NDArray k = keys[layer] == null ? newKeys.duplicate() : keys[layer].concat(newKeys, 2);
    NDArray v = values[layer] == null ? newValues.duplicate() : values[layer].concat(newValues, 2);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = keep(k);
    values[layer] = keep(v);
    return new NDArray[] {keys[layer], values[layer]};
  }

  private void replaceKeyMask(NDArray mask) {
    if (keyMask != null && keyMask != mask) {
      keyMask.close();
    }
    keyMask = mask;
  }

  /** Takes an array out of the current step's scope: it lives until the decoder closes. */
  private NDArray keep(NDArray array) {
    NDScope.unregister(array);
    array.attach(manager);
    return array;
  }

  @Override
  public void close() {
    manager.close();
  }
}
