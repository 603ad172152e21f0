package dev.autodidact.core.reward;

/** The reward functions of METHOD.md, as small pure functions. */
public final class Rewards {
  private Rewards() {}

  /** Solver outcome reward (AZR's shaping). */
  public static double solver(Outcome outcome, RewardConfig config) {
    return switch (outcome) {
      case CORRECT -> config.correct();
      case WRONG -> config.wrong();
      case MALFORMED -> config.malformed();
    };
  }

  /** Success rate p(x) = c / K. */
  public static double successRate(int correct, int rollouts) {
    if (rollouts <= 0 || correct < 0 || correct > rollouts) {
      throw new IllegalArgumentException("need 0 <= c <= K and K > 0: c=" + correct + " K=" + rollouts);
    }
    return (double) correct / rollouts;
  }

  /** Difficulty-prediction reward r_dp(x) = 1 - |mu(x) - p(x)|. */
  public static double difficultyPrediction(double mu, double p) {
    return 1.0 - Math.abs(mu - p);
  }

  /** AZR's learnability reward: 1 - p when 0 < p < 1, else 0. */
  public static double learnability(double p) {
    return p > 0.0 && p < 1.0 ? 1.0 - p : 0.0;
  }

  /**
   * Generator reward for a valid, well-formed proposal (R_fmt = 1):
   * w_dp * r_dp + w_learn * r_learn.
   */
  public static double generator(double mu, double p, RewardConfig config) {
    return config.wDp() * difficultyPrediction(mu, p) + config.wLearn() * learnability(p);
  }
}
