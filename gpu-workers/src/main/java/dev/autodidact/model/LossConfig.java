package dev.autodidact.model;

/**
 * The token-level PPO clip loss of the REINFORCE++ update.
 *
 * @param clipRatio epsilon of the ratio clip, rho in [1 - eps, 1 + eps] (default 0.2)
 * @param entropyCoefficient weight of the mean token entropy bonus (default 0.001)
 */
public record LossConfig(float clipRatio, float entropyCoefficient) {
  public LossConfig {
    if (!(clipRatio > 0 && clipRatio < 1) || !Float.isFinite(entropyCoefficient)) {
      throw new IllegalArgumentException(
          "clipRatio must be in (0, 1) and entropyCoefficient finite: "
              + clipRatio + ", " + entropyCoefficient);
    }
  }

  public static LossConfig defaults() {
    return new LossConfig(0.2f, 0.001f);
  }
}
