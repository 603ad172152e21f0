package dev.autodidact.model;

/**
 * What one optimizer step saw.
 *
 * @param loss the objective that was minimised (token mean)
 * @param gradNorm global L2 norm of the gradient before clipping
 * @param entropy mean token entropy of the trained tokens (nats)
 * @param clipFraction share of tokens whose clipped PPO term was the active one
 * @param tokens number of trained tokens
 * @param skipped whether the update was refused (weights and optimizer state untouched)
 * @param skipReason why, or null when not skipped
 */
public record TrainStats(
    double loss,
    double gradNorm,
    double entropy,
    double clipFraction,
    int tokens,
    boolean skipped,
    String skipReason) {

  public static TrainStats skipped(String reason, double loss, double gradNorm, int tokens) {
    return new TrainStats(loss, gradNorm, Double.NaN, Double.NaN, tokens, true, reason);
  }
}
