package dev.autodidact.model;

/**
 * AdamW with decoupled weight decay and global gradient-norm clipping.
 *
 * @param learningRate step size (default 3e-4)
 * @param beta1 first-moment decay (default 0.9)
 * @param beta2 second-moment decay (default 0.95)
 * @param epsilon added to the root of the second moment (default 1e-8)
 * @param weightDecay decoupled decay, applied to matrices and embeddings only, never to biases
 *     or LayerNorm parameters (default 0.1)
 * @param gradClipNorm the global L2 norm gradients are clipped to (default 1.0)
 */
public record OptimizerConfig(
    float learningRate,
    float beta1,
    float beta2,
    float epsilon,
    float weightDecay,
    float gradClipNorm) {

  public OptimizerConfig {
    if (!(learningRate >= 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and >= 0: " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("betas must be in [0, 1): " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0) || !(weightDecay >= 0) || !(gradClipNorm > 0)) {
      throw new IllegalArgumentException(
          "epsilon and gradClipNorm must be > 0, weightDecay >= 0: "
              + epsilon + ", " + gradClipNorm + ", " + weightDecay);
    }
  }

  public static OptimizerConfig defaults() {
    return new OptimizerConfig(3e-4f, 0.9f, 0.95f, 1e-8f, 0.1f, 1.0f);
  }

  public OptimizerConfig withLearningRate(float rate) {
    return new OptimizerConfig(rate, beta1, beta2, epsilon, weightDecay, gradClipNorm);
  }
}
