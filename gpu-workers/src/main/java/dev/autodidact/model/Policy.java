package dev.autodidact.model;

import java.util.List;

/**
 * A trainable language-model policy: sampling and scoring ({@link RolloutEngine}) plus
 * optimizer steps and checkpoints. Calls on one instance are serialised.
 */
public interface Policy extends RolloutEngine {
  /** Increments on every applied optimizer step (a skipped step does not count). */
  @Override
  long version();

  /** One optimizer step of the token-level PPO clip loss over all samples. */
  TrainStats reinforceStep(List<PolicySample> samples, LossConfig loss, OptimizerConfig opt);

  /**
   * One optimizer step of next-token cross-entropy on BOS + sequence + EOS, for pretraining.
   * A sequence longer than the context keeps its head and loses its EOS.
   */
  TrainStats supervisedStep(List<int[]> sequences, OptimizerConfig opt);

  /** Weights, optimizer state, step count and version as deterministic bytes. */
  byte[] checkpoint();
}
