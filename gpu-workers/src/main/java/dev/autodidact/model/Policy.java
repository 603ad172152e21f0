package dev.autodidact.model;

import java.util.List;

/**
 * A language-model policy: batched sampling, teacher-forced scoring, and optimizer steps.
 *
 * <p>Every sequence the model sees is BOS + prompt + completion. Prompts are given without
 * BOS; a prompt that already starts with BOS is the same prompt (BOS is not doubled). A
 * sequence longer than {@code contextLength + 1} tokens loses prompt tokens from the left (BOS
 * is kept). An instance is safe to share between threads: calls are serialised.
 */
public interface Policy extends AutoCloseable {
  GptConfig config();

  /** Increments on every applied optimizer step (a skipped step does not count). */
  long version();

  /** Batched autoregressive sampling with a KV cache; one completion per request, in order. */
  List<Completion> sample(List<SampleRequest> batch);

  /** Teacher-forced log-prob of each completion token given its prompt. */
  List<float[]> logProbs(List<int[]> prompts, List<int[]> completions);

  /** One optimizer step of the token-level PPO clip loss over all samples. */
  TrainStats reinforceStep(List<PolicySample> samples, LossConfig loss, OptimizerConfig opt);

  /**
   * One optimizer step of next-token cross-entropy on BOS + sequence + EOS, for pretraining.
   * A sequence longer than the context keeps its head and loses its EOS.
   */
  TrainStats supervisedStep(List<int[]> sequences, OptimizerConfig opt);

  /** Weights, optimizer state, step count and version as deterministic bytes. */
  byte[] checkpoint();

  @Override
  void close();
}
