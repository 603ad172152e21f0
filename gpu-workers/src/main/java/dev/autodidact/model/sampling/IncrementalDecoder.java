package dev.autodidact.model.sampling;

/**
 * One batch of rows decoded with a key/value cache, as {@link BatchSampler} drives it. Every
 * call returns the log-softmax of the raw logits at each row's newest position, {@code [B * V]}.
 */
public interface IncrementalDecoder extends AutoCloseable {
  /**
   * Runs the inputs (each non-empty, at most the context long) through the model.
   *
   * @param maxSteps how many {@link #step} calls may follow, for decoders that reserve room
   */
  float[] prefill(int[][] inputs, int maxSteps);

  /**
   * Feeds one token per row. A row that no longer matters may be fed anything; its position
   * is clamped to the context.
   */
  float[] step(int[] tokens);

  /** Keeps only the given rows, in the given order; the others leave the cache. */
  void retain(int[] rows);

  @Override
  void close();
}
