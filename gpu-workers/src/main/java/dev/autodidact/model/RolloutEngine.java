package dev.autodidact.model;

import java.util.List;

/**
 * Something that samples completions from one fixed set of weights: a trainable {@link Policy}
 * or an inference-only engine fed with a policy's weights (ONNX Runtime).
 *
 * <p>Every sequence the model sees is BOS + prompt + completion. Prompts are given without
 * BOS; a prompt that already starts with BOS is the same prompt (BOS is not doubled). A
 * sequence longer than {@code contextLength + 1} tokens loses prompt tokens from the left (BOS
 * is kept). An instance is safe to share between threads: calls are serialised.
 */
public interface RolloutEngine extends AutoCloseable {
  /** Token ids are in {@code [0, vocabSize)}. */
  int vocabSize();

  /** Positions the model attends over. */
  int contextLength();

  /** The policy version these weights belong to. */
  long version();

  /**
   * Batched autoregressive sampling; one completion per request, in order. A request's tokens
   * depend only on the weights and its own noise stream, never on the batch it shares.
   */
  List<Completion> sample(List<SampleRequest> batch);

  /** Teacher-forced log-prob of each completion token given its prompt. */
  List<float[]> logProbs(List<int[]> prompts, List<int[]> completions);

  @Override
  void close();
}
