package dev.autodidact.core.world;

/**
 * The knobs of the micro-world program grammar.
 *
 * @param maxStatements simple statements (assignments, updates, guarded returns and breaks)
 *     a body may hold before its final {@code return}; compound headers do not count
 * @param maxExpressionDepth how many operators an expression may nest
 * @param maxParameters how many parameters {@code f} may take, 1 to 3
 * @param loops whether {@code for} loops, comprehensions and {@code any}/{@code all} appear
 * @param conditionals whether {@code if} statements and conditional expressions appear
 *     (comprehension filters belong to loops)
 * @param strings whether {@code str} values appear
 * @param lists whether {@code list[int]} values appear
 * @param maxLiteral integer inputs lie in [-maxLiteral, maxLiteral]
 * @param maxProgramChars no program is longer than this
 */
public record Difficulty(
    int maxStatements,
    int maxExpressionDepth,
    int maxParameters,
    boolean loops,
    boolean conditionals,
    boolean strings,
    boolean lists,
    int maxLiteral,
    int maxProgramChars) {

  public Difficulty {
    if (maxStatements < 0) {
      throw new IllegalArgumentException("maxStatements must not be negative: " + maxStatements);
    }
    if (maxExpressionDepth < 1) {
      throw new IllegalArgumentException("maxExpressionDepth must be positive: " + maxExpressionDepth);
    }
    if (maxParameters < 1 || maxParameters > 3) {
      throw new IllegalArgumentException("maxParameters must be 1 to 3: " + maxParameters);
    }
    if (maxLiteral < 2 || maxLiteral > 999) {
      throw new IllegalArgumentException("maxLiteral must be 2 to 999: " + maxLiteral);
    }
    if (maxProgramChars < 40) {
      throw new IllegalArgumentException("maxProgramChars must be at least 40: " + maxProgramChars);
    }
  }

  /** Short programs: up to 3 statements, shallow expressions, small numbers. */
  public static Difficulty easy() {
    return new Difficulty(3, 2, 2, true, true, true, true, 9, 120);
  }

  /** The pretraining and seed-task setting. */
  public static Difficulty medium() {
    return new Difficulty(5, 3, 2, true, true, true, true, 9, 200);
  }

  /** The out-of-distribution setting: longer bodies, deeper expressions, bigger numbers. */
  public static Difficulty hard() {
    return new Difficulty(8, 4, 3, true, true, true, true, 99, 360);
  }

  /**
   * Programs beyond what a policy trained on {@code trained} saw: {@link #hard()} for a
   * corpus below it, and for a hard corpus longer bodies, deeper expressions and longer
   * programs still. For out-of-distribution evaluation.
   */
  public static Difficulty outOfDistribution(Difficulty trained) {
    Difficulty hard = hard();
    if (trained.maxStatements() < hard.maxStatements() && trained.maxExpressionDepth() < hard.maxExpressionDepth()
        && trained.maxProgramChars() < hard.maxProgramChars()) {
      return hard;
    }
    return new Difficulty(trained.maxStatements() + 3, trained.maxExpressionDepth() + 1, 3, true, true, true, true,
        Math.min(999, Math.max(99, trained.maxLiteral() * 10)), trained.maxProgramChars() + 160);
  }
}
