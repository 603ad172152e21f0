package dev.autodidact.core.world;

import dev.autodidact.core.random.SeedStream;
import java.util.List;
import java.util.Objects;

/**
 * Generates single-function Python programs of the micro-world, with inputs for them.
 *
 * <p>Programs come from a typed grammar (see {@link FunctionWriter} and
 * {@link ExpressionGrammar}) that tracks bounds on every value, so that for inputs inside the
 * parameters' bounds each program runs without exceptions, within at most 100 loop
 * iterations, deterministically, and returns a printable literal that depends on the input.
 * Nothing is imported and only these builtins appear: abs, len, min, max, sum, sorted,
 * reversed, range, str, int, list, enumerate, zip, any, all.
 *
 * <p>{@link #generate} is a pure function of the difficulty and the stream's key and position:
 * draws that do not fit (too long, or too few distinct inputs) are redrawn from the stream's
 * continuation, so the same stream always gives the same sample.
 */
public final class ProgramGenerator {
  private static final int MAX_ATTEMPTS = 2_000;

  private final Difficulty difficulty;

  public ProgramGenerator(Difficulty difficulty) {
    this.difficulty = Objects.requireNonNull(difficulty, "difficulty");
  }

  public Difficulty difficulty() {
    return difficulty;
  }

  /**
   * A program and {@code inputCount} distinct inputs that fit its parameter types.
   *
   * @throws IllegalArgumentException if inputCount is negative
   * @throws IllegalStateException if no program with that many distinct inputs was found
   */
  public ProgramSample generate(SeedStream rng, int inputCount) {
    if (inputCount < 0) {
      throw new IllegalArgumentException("inputCount must not be negative: " + inputCount);
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      FunctionWriter.Draft draft = new FunctionWriter(rng, difficulty).write();
      if (draft == null
          || draft.source().length() > difficulty.maxProgramChars()
          || InputGenerator.space(draft.parameters()) < inputCount) {
        continue;
      }
      List<String> inputs = InputGenerator.distinct(rng, draft.parameters(), inputCount);
      if (inputs != null) {
        return new ProgramSample(draft.source(), inputs);
      }
    }
    throw new IllegalStateException(
        "no program with " + inputCount + " distinct inputs after " + MAX_ATTEMPTS + " draws at " + difficulty);
  }
}
