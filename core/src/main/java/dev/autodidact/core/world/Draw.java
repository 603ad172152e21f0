package dev.autodidact.core.world;

import dev.autodidact.core.random.SeedStream;

/** Small drawing helpers over a {@link SeedStream}. */
final class Draw {
  private Draw() {}

  /** An index drawn with probability proportional to its weight; zero weights are never drawn. */
  static int weighted(SeedStream rng, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("no positive weight");
    }
    int r = rng.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** One character of the alphabet, uniformly. */
  static char charOf(SeedStream rng, String alphabet) {
    return alphabet.charAt(rng.nextInt(alphabet.length()));
  }
}
