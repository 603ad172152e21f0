package dev.autodidact.model.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.autodidact.model.ComputeThreads;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.TrainStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The teacher-forced half of a policy, the same for every backend: scoring completions, and
 * one optimizer step made of micro-batches with gradient accumulation, a guard that refuses a
 * non-finite loss or gradient, global-norm clipping and {@link AdamW}.
 *
 * <p>Scoring and training run in the calling thread with the policy's scoring and training
 * intra-op thread counts.
 * Every micro-batch runs inside its own {@link NDScope}, so no intermediate array outlives the
 * call. Not thread-safe: the owning policy serialises calls. Training steps of all instances
 * share one process-wide lock, since PyTorch allows one gradient collector at a time.
 */
final class PolicyTrainer {
  /** Padded positions per training micro-batch: bounds activation memory. */
  static final int TRAIN_TOKENS_PER_MICRO_BATCH = 4096;

  /** Padded positions per scoring micro-batch (no activations are kept for backward). */
  static final int SCORE_TOKENS_PER_MICRO_BATCH = 8192;

  private final LanguageModel model;
  private final AdamW optimizer;
  private final int scoringThreads;
  private final int trainingThreads;

  PolicyTrainer(LanguageModel model, AdamW optimizer, ComputeThreads threads) {
    this.model = model;
    this.optimizer = optimizer;
    this.scoringThreads = threads.scoring();
    this.trainingThreads = threads.training();
  }

  /** Teacher-forced log-prob of each completion token given BOS + its prompt. */
  List<float[]> logProbs(List<int[]> prompts, List<int[]> completions) {
    if (prompts.size() != completions.size()) {
      throw new IllegalArgumentException(
          prompts.size() + " prompts but " + completions.size() + " completions");
    }
    List<TrainingRows.Row> rows = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      requireVocabulary(prompts.get(i), "prompt");
      requireVocabulary(completions.get(i), "completion");
      rows.add(TrainingRows.completionRow(
          prompts.get(i), completions.get(i), null, 0f, model.contextLength()));
    }
    float[][] out = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      out[i] = new float[rows.get(i).trainedTokens()];
    }
    Torch.inference(scoringThreads, () -> {
      for (TrainingRows.MicroBatch mb : microBatches(rows, SCORE_TOKENS_PER_MICRO_BATCH)) {
        try (NDManager step = model.manager().newSubManager(); NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          float[] scores = Objectives.targetLogProbs(model, step, mb).toFloatArray();
          copyScores(scores, mb, rows, out);
        }
      }
      return null;
    });
    return List.of(out);
  }

  private static void copyScores(
      float[] scores, TrainingRows.MicroBatch mb, List<TrainingRows.Row> rows, float[][] out) {
    for (int r = 0; r < mb.rows(); r++) {
      TrainingRows.Row row = rows.get(mb.rowIds()[r]);
      float[] target = out[mb.rowIds()[r]];
      for (int k = 0; k < target.length; k++) {
        target[k] = scores[mb.index(r, row, k)];
      }
    }
  }

  /** One optimizer step of the token-level PPO clip loss. */
  TrainStats reinforceStep(List<PolicySample> samples, LossConfig loss, OptimizerConfig opt) {
    List<TrainingRows.Row> rows = new ArrayList<>(samples.size());
    for (PolicySample s : samples) {
      requireVocabulary(s.prompt(), "prompt");
      requireVocabulary(s.completion(), "completion");
      rows.add(TrainingRows.completionRow(s.prompt(), s.completion(), s.behaviourLogProbs(),
          s.advantage(), model.contextLength()));
    }
    return train(rows, opt, (mb, step, total) -> Objectives.ppoClip(model, step, mb, loss, total));
  }

  /** One optimizer step of next-token cross-entropy on BOS + sequence + EOS. */
  TrainStats supervisedStep(List<int[]> sequences, OptimizerConfig opt) {
    List<TrainingRows.Row> rows = new ArrayList<>(sequences.size());
    for (int[] sequence : sequences) {
      requireVocabulary(sequence, "sequence");
      rows.add(TrainingRows.pretrainingRow(sequence, model.contextLength()));
    }
    return train(rows, opt, (mb, step, total) -> Objectives.crossEntropy(model, step, mb, total));
  }

  /** Builds one micro-batch's loss terms. */
  private interface Objective {
    Objectives.Terms terms(TrainingRows.MicroBatch mb, NDManager step, int totalTokens);
  }

  /**
   * One optimizer step: accumulate gradients over micro-batches, refuse a non-finite loss or
   * gradient, clip by global norm, AdamW. A refused step leaves weights and moments untouched.
   */
  private TrainStats train(List<TrainingRows.Row> rows, OptimizerConfig opt, Objective objective) {
    int tokens = TrainingRows.trainedTokens(rows);
    if (tokens == 0) {
      return TrainStats.skipped("no tokens to train", 0, 0, 0);
    }
    return Torch.training(trainingThreads, () -> {
      double lossSum = 0;
      double entropySum = 0;
      double clippedTokens = 0;
      optimizer.zeroGradients();
      try (GradientCollector collector = Torch.engine().newGradientCollector()) {
        for (TrainingRows.MicroBatch mb : microBatches(rows, TRAIN_TOKENS_PER_MICRO_BATCH)) {
          try (NDManager step = model.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Objectives.Terms terms = objective.terms(mb, step, tokens);
            float[] sums = terms.sums().toFloatArray();
            double microLoss = terms.objective().getFloat();
            if (!Double.isFinite(microLoss) || !allFinite(sums)) {
              return TrainStats.skipped("non-finite loss", microLoss, Double.NaN, tokens);
            }
            collector.backward(terms.objective());
            lossSum += microLoss;
            entropySum += sums[1];
            clippedTokens += sums[2];
          }
        }
      }
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        double gradNorm = optimizer.gradientNorm();
        if (!Double.isFinite(gradNorm)) {
          return TrainStats.skipped("non-finite gradient norm", lossSum, gradNorm, tokens);
        }
        float clip = opt.gradClipNorm();
        float scale = gradNorm > clip ? (float) (clip / (gradNorm + 1e-6)) : 1f;
        optimizer.step(opt, scale);
        return new TrainStats(
            lossSum, gradNorm, entropySum / tokens, clippedTokens / tokens, tokens, false, null);
      }
    });
  }

  private List<TrainingRows.MicroBatch> microBatches(List<TrainingRows.Row> rows, int budget) {
    return TrainingRows.pack(rows, width -> model.rowsPerMicroBatch(width, budget));
  }

  private static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** Refuses ids outside the model's vocabulary, naming what held them. */
  void requireVocabulary(int[] ids, String what) {
    int vocab = model.vocabSize();
    for (int id : ids) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException(
            what + " holds token id " + id + " outside [0, " + vocab + ")");
      }
    }
  }
}
