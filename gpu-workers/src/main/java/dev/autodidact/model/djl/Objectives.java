package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.autodidact.model.LossConfig;

/**
 * The per-micro-batch losses of any {@link LanguageModel}, as sums over trained tokens divided
 * by the batch's token count.
 */
final class Objectives {
  private Objectives() {}

  /**
   * A micro-batch's share of the loss, and its summed statistics.
   *
   * @param objective scalar to backpropagate: its sum over micro-batches is the token-mean loss
   * @param sums {@code [loss sum, entropy sum, clipped-token count]} over trained tokens
   */
  record Terms(NDArray objective, NDArray sums) {}

  /** Log-probs and entropies of every target, {@code [B, T]} each. */
  private record TokenScores(NDArray logProbs, NDArray entropy) {}

  /** Teacher-forced log-prob of every target, {@code [B, T]}. */
  static NDArray targetLogProbs(
      LanguageModel model, NDManager manager, TrainingRows.MicroBatch mb) {
    return scores(model, manager, mb, Entropy.NONE).logProbs();
  }

  /** Next-token cross-entropy, token mean over {@code totalTokens}. */
  static Terms crossEntropy(
      LanguageModel model, NDManager manager, TrainingRows.MicroBatch mb, int totalTokens) {
    TokenScores s = scores(model, manager, mb, Entropy.DETACHED);
    NDArray mask = manager.create(mb.mask(), new Shape(mb.rows(), mb.width()));
    NDArray lossSum = s.logProbs().mul(mask).sum().neg();
    NDArray entropySum = s.entropy().mul(mask).sum();
    NDArray sums = NDArrays.stack(new NDList(lossSum, entropySum, manager.create(0f)));
    return new Terms(lossSum.div(GptModel.scalar(manager, totalTokens)), sums);
  }

  /**
   * Token-level PPO clip loss: per trained token, {@code rho = exp(logp - behaviour)},
   * {@code max(-A rho, -A clip(rho, 1 - eps, 1 + eps))}, minus the entropy bonus.
   */
  static Terms ppoClip(
      LanguageModel model,
      NDManager manager,
      TrainingRows.MicroBatch mb,
      LossConfig loss,
      int totalTokens) {
    Shape shape = new Shape(mb.rows(), mb.width());
    TokenScores s = scores(model, manager, mb, Entropy.DIFFERENTIABLE);
    NDArray mask = manager.create(mb.mask(), shape);
    NDArray negAdvantage = manager.create(mb.advantages(), shape).neg();
    NDArray behaviour = manager.create(mb.behaviourLogProbs(), shape);

    NDArray ratio = s.logProbs().sub(behaviour).exp();
    NDArray unclipped = negAdvantage.mul(ratio);
    NDArray clipped = negAdvantage.mul(ratio.clip(1 - loss.clipRatio(), 1 + loss.clipRatio()));
    NDArray tokenLoss = unclipped.maximum(clipped).mul(mask);
    NDArray clippedActive = clipped.gt(unclipped).toType(DataType.FLOAT32, false).mul(mask);

    NDArray lossSum = tokenLoss.sum();
    NDArray entropySum = s.entropy().mul(mask).sum();
    NDArray objective = lossSum
        .sub(entropySum.mul(GptModel.scalar(manager, loss.entropyCoefficient())))
        .div(GptModel.scalar(manager, totalTokens));
    NDArray sums = NDArrays.stack(new NDList(lossSum, entropySum, clippedActive.sum()));
    return new Terms(objective, sums);
  }

  /** Whether token entropies are needed, and whether gradients flow through them. */
  private enum Entropy { NONE, DETACHED, DIFFERENTIABLE }

  private static TokenScores scores(
      LanguageModel model, NDManager manager, TrainingRows.MicroBatch mb, Entropy entropy) {
    NDArray ids = manager.create(mb.inputs(), new Shape(mb.rows(), mb.width()));
    NDArray targets = manager.create(mb.targets(), new Shape(mb.rows(), mb.width(), 1));
    NDArray logProbs = model.logits(ids).logSoftmax(-1); // [B, T, V]
    NDArray target = logProbs.gather(targets, 2).reshape(mb.rows(), mb.width());
    if (entropy == Entropy.NONE) {
      return new TokenScores(target, null);
    }
    NDArray source = entropy == Entropy.DETACHED ? logProbs.stopGradient() : logProbs;
    return new TokenScores(target, source.exp().mul(source).sum(new int[] {2}).neg());
  }
}
