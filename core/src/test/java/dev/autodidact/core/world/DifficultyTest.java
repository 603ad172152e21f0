package dev.autodidact.core.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Out-of-distribution programs are always beyond the training corpus's grammar. */
class DifficultyTest {

  @Test
  void outOfDistributionIsHardForEasierCorporaAndBeyondHardForAHardOne() {
    assertThat(Difficulty.outOfDistribution(Difficulty.easy())).isEqualTo(Difficulty.hard());
    assertThat(Difficulty.outOfDistribution(Difficulty.medium())).isEqualTo(Difficulty.hard());
    for (Difficulty trained : new Difficulty[] {Difficulty.easy(), Difficulty.medium(), Difficulty.hard()}) {
      Difficulty beyond = Difficulty.outOfDistribution(trained);
      assertThat(beyond.maxStatements()).isGreaterThan(trained.maxStatements());
      assertThat(beyond.maxExpressionDepth()).isGreaterThan(trained.maxExpressionDepth());
      assertThat(beyond.maxProgramChars()).isGreaterThan(trained.maxProgramChars());
    }
  }
}
