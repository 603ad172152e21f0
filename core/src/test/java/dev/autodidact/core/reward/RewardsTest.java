package dev.autodidact.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class RewardsTest {
  private final RewardConfig config = RewardConfig.defaults();

  @Test
  void solverRewardFollowsAzrShaping() {
    assertThat(Rewards.solver(Outcome.CORRECT, config)).isEqualTo(1.0);
    assertThat(Rewards.solver(Outcome.WRONG, config)).isEqualTo(-0.5);
    assertThat(Rewards.solver(Outcome.MALFORMED, config)).isEqualTo(-1.0);
  }

  @Test
  void difficultyPredictionIsOneMinusTheGap() {
    // mu = 6/8 predicted, 2 of 8 solved: 1 - |0.75 - 0.25| = 0.5
    assertThat(Rewards.difficultyPrediction(0.75, Rewards.successRate(2, 8))).isEqualTo(0.5);
    assertThat(Rewards.difficultyPrediction(0.25, 0.25)).isEqualTo(1.0);
    assertThat(Rewards.difficultyPrediction(0.0, 1.0)).isEqualTo(0.0);
  }

  @Test
  void learnabilityRewardsOnlyPartlySolvedTasks() {
    assertThat(Rewards.learnability(0.0)).isEqualTo(0.0);
    assertThat(Rewards.learnability(1.0)).isEqualTo(0.0);
    assertThat(Rewards.learnability(0.25)).isEqualTo(0.75);
  }

  @Test
  void generatorRewardWeighsBothTerms() {
    // mu = 0.5, p = 3/8: r_dp = 0.875, r_learn = 0.625; 0.5*0.875 + 0.5*0.625 = 0.75
    assertThat(Rewards.generator(0.5, 0.375, config)).isCloseTo(0.75, within(1e-12));
    RewardConfig azr = new RewardConfig(1, -0.5, -1, -1, 0.0, 1.0);
    assertThat(Rewards.generator(0.5, 0.375, azr)).isCloseTo(0.625, within(1e-12));
  }

  @Test
  void successRateRejectsImpossibleCounts() {
    assertThatThrownBy(() -> Rewards.successRate(9, 8)).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void generatorRewardStaysInItsRange(
      @ForAll @DoubleRange(min = 0, max = 1) double mu, @ForAll @DoubleRange(min = 0, max = 1) double p) {
    assertThat(Rewards.generator(mu, p, config)).isBetween(0.0, 1.0);
  }
}
