package dev.autodidact.core.reward;

/**
 * Limit breaking (METHOD.md, "Utility score for limit breaking").
 *
 * @param enabled whether unsolved tasks may get an external solution at all
 * @param selection how tasks are chosen: by utility z(x) (the method) or at random with the
 *     same budget (an ablation)
 * @param gamma weight of zscore(mu) against zscore(novelty) [default 0.5]
 * @param tau z(x) must exceed this to be selected [default 1.0]
 * @param bufferSize how many recent unsolved tasks the z-scores are taken against [256]
 * @param budgetFraction external solutions / valid tasks, a hard cap over the run [0.012]
 * @param randomProbability chance that a task is picked in the random ablation
 */
public record LimitBreakConfig(
    boolean enabled,
    Selection selection,
    double gamma,
    double tau,
    int bufferSize,
    double budgetFraction,
    double randomProbability) {

  public enum Selection { UTILITY, RANDOM }

  public static LimitBreakConfig defaults() {
    return new LimitBreakConfig(true, Selection.UTILITY, 0.5, 1.0, 256, 0.012, 0.16);
  }
}
