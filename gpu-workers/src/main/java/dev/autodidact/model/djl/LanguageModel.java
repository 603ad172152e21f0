package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A causal language model as the code shared by every backend sees it: the objectives, the
 * training step ({@link PolicyTrainer}) and the uncached sampler. The built-in GPT
 * ({@link GptParameters}) and a user's TorchScript module ({@link TorchScriptModule}) are two.
 */
interface LanguageModel {
  /** Token ids are in {@code [0, vocabSize)}. */
  int vocabSize();

  /** The longest sequence {@link #logits} accepts. */
  int contextLength();

  /** Owns the parameters; every call's arrays live in one of its sub-managers. */
  NDManager manager();

  /**
   * Raw logits of every position of right-padded rows that all start at position 0. Position
   * {@code t} sees only positions {@code 0..t}, so padding never changes a real position.
   * Differentiable when grad mode is on.
   *
   * @param ids {@code [B, T]} int64 token ids, {@code T <= contextLength()}
   * @return {@code [B, T, V]} float32 logits, in the manager of {@code ids}
   */
  NDArray logits(NDArray ids);

  /**
   * Rows of width {@code width} one micro-batch may hold: at most {@code tokenBudget} padded
   * positions, and whatever else bounds this model's activation memory; at least one.
   */
  int rowsPerMicroBatch(int width, int tokenBudget);
}
