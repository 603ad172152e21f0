package dev.autodidact.core.reward;

/**
 * The hard cap on external data: after using one more external solution, the ratio
 * used / valid tasks so far must not exceed the budget fraction. Checking against the valid
 * tasks seen so far (not an estimate of the run's total) keeps the extra-data ratio within
 * the budget at every step, so a run stopped early never overspends.
 */
public final class ExternalDataBudget {
  private ExternalDataBudget() {}

  /** Whether one more external solution fits. */
  public static boolean allowsOneMore(long used, long validTasks, double budgetFraction) {
    return used + 1 <= Math.floor(budgetFraction * validTasks + 1e-9);
  }

  /** Extra-data ratio = external solutions used / valid tasks generated (0 before any). */
  public static double ratio(long used, long validTasks) {
    return validTasks == 0 ? 0.0 : (double) used / validTasks;
  }
}
