package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.sampling.IncrementalDecoder;

/**
 * Incremental decoding of a batch of rows with a preallocated key/value cache.
 *
 * <p>Rows of different lengths are left-padded: row {@code b} with {@code pad[b]} padding
 * columns has its token at column {@code j} at position {@code j - pad[b]}, and a key mask
 * hides the padding columns from every query. Each step writes one column of keys and values
 * in place and attends over the filled prefix, so a step costs no copy of the cache. Each call
 * returns the log-softmax of the raw logits at every row's newest position, as one
 * {@code [B * V]} transfer.
 */
final class KvDecoder implements IncrementalDecoder {
  private final GptParameters params;
  private final NDManager manager;
  private final NDArray[] keys;   // [B, H, capacity, D] per layer
  private final NDArray[] values; // [B, H, capacity, D] per layer
  private NDArray keyMask;        // [B, 1, 1, capacity]: MASKED on padding columns, else 0
  private long[] nextPosition;
  private int capacity;
  private int filled;

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

  /**
   * Runs the prompts (each non-empty, at most the context long) through the model and reserves
   * room for {@code maxSteps} more tokens per row.
   *
   * @return {@code [B * V]} log-probs of the token after each prompt
   */
  @Override
  public float[] prefill(int[][] inputs, int maxSteps) {
    GptConfig c = params.config();
    int b = inputs.length;
    int width = 0;
    for (int[] row : inputs) {
      width = Math.max(width, row.length);
    }
    capacity = width + maxSteps;
    long[] ids = new long[b * width];
    long[] positions = new long[b * width];
    float[] padMask = new float[b * capacity];
    nextPosition = new long[b];
    for (int r = 0; r < b; r++) {
      int pad = width - inputs[r].length;
      for (int j = 0; j < width; j++) {
        int at = r * width + j;
        if (j < pad) {
          padMask[r * capacity + j] = GptModel.MASKED;
        } else {
          ids[at] = inputs[r][j - pad];
          positions[at] = j - pad;
        }
      }
      nextPosition[r] = inputs[r].length;
    }
    Shape cacheShape = new Shape(b, c.heads(), capacity, c.headDim());
    for (int l = 0; l < keys.length; l++) {
      keys[l] = keep(manager.create(cacheShape, DataType.FLOAT32));
      values[l] = keep(manager.create(cacheShape, DataType.FLOAT32));
    }
    keyMask = keep(manager.create(padMask, new Shape(b, 1, 1, capacity)));
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray mask = GptModel.causalMask(manager, width).reshape(1, 1, width, width)
          .add(keyMask.get(prefix(4, width)));
      NDArray x = forward(
          manager.create(ids, new Shape(b, width)), manager.create(positions, new Shape(b, width)),
          mask, width);
      filled = width;
      return GptModel.head(params, x.get(":, -1, :")).logSoftmax(-1).toFloatArray();
    }
  }

  /**
   * Feeds one token per row. A row that no longer matters may be fed anything; its position
   * stops at the end of the context.
   *
   * @return {@code [B * V]} log-probs of the token after it
   */
  @Override
  public float[] step(int[] tokens) {
    int b = tokens.length;
    if (b != rows()) {
      throw new IllegalArgumentException(b + " tokens for " + rows() + " rows");
    }
    if (filled >= capacity) {
      throw new IllegalStateException("key/value cache is full: " + capacity + " columns");
    }
    long lastPosition = params.config().contextLength() - 1;
    long[] ids = new long[b];
    long[] positions = new long[b];
    for (int r = 0; r < b; r++) {
      ids[r] = tokens[r];
      positions[r] = Math.min(nextPosition[r], lastPosition);
      nextPosition[r]++;
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray mask = keyMask.get(prefix(4, filled + 1));
      NDArray x = forward(manager.create(ids, new Shape(b, 1)),
          manager.create(positions, new Shape(b, 1)), mask, 1);
      filled++;
      return GptModel.head(params, x.get(":, -1, :")).logSoftmax(-1).toFloatArray();
    }
  }

  /** Keeps only the given rows, in the given order; the others leave the cache. */
  @Override
  public void retain(int[] rows) {
    long[] index = new long[rows.length];
    long[] positions = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      index[i] = rows[i];
      positions[i] = nextPosition[rows[i]];
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray selector = manager.create(index);
      for (int l = 0; l < keys.length; l++) {
        keys[l] = replace(keys[l], keys[l].get(selector));
        values[l] = replace(values[l], values[l].get(selector));
      }
      keyMask = replace(keyMask, keyMask.get(selector));
    }
    nextPosition = positions;
  }

  private NDArray forward(NDArray ids, NDArray positions, NDArray mask, int newColumns) {
    NDArray x = GptModel.embed(params.tokenEmbedding(), ids)
        .add(GptModel.embed(params.positionEmbedding(), positions)); // [B, S, C]
    NDIndex written = new NDIndex(":, :, {}:{}", filled, filled + newColumns);
    NDIndex visible = prefix(3, filled + newColumns);
    for (int l = 0; l < keys.length; l++) {
      x = GptModel.block(params, l, x, mask, (layer, k, v) -> {
        keys[layer].set(written, k);
        values[layer].set(written, v);
        return new NDArray[] {keys[layer].get(visible), values[layer].get(visible)};
      });
    }
    return x;
  }

  /** The first {@code n} entries along the last axis of a rank-{@code rank} array. */
  private static NDIndex prefix(int rank, int n) {
    return new NDIndex(":, ".repeat(rank - 1) + ":{}", n);
  }

  private NDArray replace(NDArray old, NDArray replacement) {
    old.close();
    return keep(replacement);
  }

  /** Takes an array out of the current scope: it lives until the decoder closes. */
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
