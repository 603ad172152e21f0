package dev.autodidact.core.reward;

/**
 * Reward shaping of METHOD.md, "Rewards". Every value is a run setting so an ablation can
 * replay a run with another choice.
 *
 * @param correct solver reward for a correct answer [default 1]
 * @param wrong solver reward for a well-formed wrong answer [default -0.5]
 * @param malformed solver reward for a malformed answer [default -1]
 * @param invalidProposal generator reward for an invalid or malformed proposal [default -1]
 * @param wDp weight of the difficulty-prediction reward [default 0.5; 0 is the AZR baseline]
 * @param wLearn weight of AZR's learnability reward [default 0.5]
 */
public record RewardConfig(
    double correct, double wrong, double malformed, double invalidProposal, double wDp,
    double wLearn) {

  public static RewardConfig defaults() {
    return new RewardConfig(1.0, -0.5, -1.0, -1.0, 0.5, 0.5);
  }
}
