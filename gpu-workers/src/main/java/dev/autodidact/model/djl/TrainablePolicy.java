package dev.autodidact.model.djl;

import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policy;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.TrainStats;
import java.util.List;

/**
 * What both backends' policies share: scoring and training through one {@link PolicyTrainer},
 * the version count (applied steps only), and the open/closed state. Calls are serialised on
 * the instance; subclasses sample, write checkpoints and free their own resources.
 */
abstract sealed class TrainablePolicy implements Policy permits DjlPolicy, TorchScriptPolicy {
  final PolicyTrainer trainer;
  private long version;
  private boolean closed;

  TrainablePolicy(PolicyTrainer trainer, long version) {
    this.trainer = trainer;
    this.version = version;
  }

  @Override
  public final synchronized long version() {
    return version;
  }

  @Override
  public final synchronized List<float[]> logProbs(List<int[]> prompts, List<int[]> completions) {
    ensureOpen();
    return trainer.logProbs(prompts, completions);
  }

  @Override
  public final synchronized TrainStats reinforceStep(
      List<PolicySample> samples, LossConfig loss, OptimizerConfig opt) {
    ensureOpen();
    return counted(trainer.reinforceStep(samples, loss, opt));
  }

  @Override
  public final synchronized TrainStats supervisedStep(List<int[]> sequences, OptimizerConfig opt) {
    ensureOpen();
    return counted(trainer.supervisedStep(sequences, opt));
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /** Frees the subclass's native resources; called once, by {@link #close()}. */
  abstract void release();

  final void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("policy is closed");
    }
  }

  /** Refuses a batch before any work if a prompt holds an id outside the vocabulary. */
  final void requirePrompts(List<SampleRequest> batch) {
    batch.forEach(r -> trainer.requireVocabulary(r.prompt(), "prompt"));
  }

  private TrainStats counted(TrainStats stats) {
    if (!stats.skipped()) {
      version++;
    }
    return stats;
  }
}
