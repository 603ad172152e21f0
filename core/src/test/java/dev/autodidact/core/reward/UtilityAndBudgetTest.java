package dev.autodidact.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class UtilityAndBudgetTest {

  @Test
  void zscoreUsesThePopulationStandardDeviation() {
    // population 1, 2, 3: mean 2, std sqrt(2/3)
    assertThat(Utility.zscore(3.0, new double[] {1, 2, 3})).isCloseTo(1 / Math.sqrt(2.0 / 3), within(1e-12));
    assertThat(Utility.zscore(5.0, new double[] {5, 5})).isEqualTo(0.0);
  }

  @Test
  void utilityMixesMuAndNoveltyByGamma() {
    List<Utility.Features> buffer = List.of(
        new Utility.Features(0.0, 1.0), new Utility.Features(0.5, 2.0), new Utility.Features(1.0, 3.0));
    // task (1.0, 1.0): zscore(mu) = 0.5/sqrt(1/6) = 1.2247, zscore(nov) = -1/sqrt(2/3) = -1.2247
    Utility.Features task = new Utility.Features(1.0, 1.0);
    assertThat(Utility.score(task, buffer, 0.5)).isCloseTo(0.0, within(1e-9));
    assertThat(Utility.score(task, buffer, 1.0)).isCloseTo(0.5 / Math.sqrt(1.0 / 6), within(1e-9));
  }

  @Test
  void noveltyIsTheMeanNegativeLogLikelihood() {
    assertThat(Utility.novelty(new float[] {-1f, -2f, -3f})).isCloseTo(2.0, within(1e-6));
  }

  @Test
  void budgetIsAHardCapOnTheRatioSoFar() {
    // 1.2% of 83 valid tasks = 0.996: none yet; of 84 = 1.008: one
    assertThat(ExternalDataBudget.allowsOneMore(0, 83, 0.012)).isFalse();
    assertThat(ExternalDataBudget.allowsOneMore(0, 84, 0.012)).isTrue();
    assertThat(ExternalDataBudget.allowsOneMore(1, 166, 0.012)).isFalse();
    assertThat(ExternalDataBudget.allowsOneMore(1, 167, 0.012)).isTrue();
    assertThat(ExternalDataBudget.ratio(2, 200)).isEqualTo(0.01);
    assertThat(ExternalDataBudget.ratio(0, 0)).isEqualTo(0.0);
  }

  @Test
  void selectsOnlyAboveTauAndWithinBudget() {
    LimitBreakConfig config = LimitBreakConfig.defaults();
    List<Utility.Features> buffer = List.of(
        new Utility.Features(0.0, 1.0), new Utility.Features(0.0, 1.0), new Utility.Features(0.0, 1.0),
        new Utility.Features(0.125, 1.1), new Utility.Features(0.0, 0.9));
    List<Utility.Features> candidates = List.of(
        new Utility.Features(0.0, 1.0), new Utility.Features(1.0, 3.0), new Utility.Features(0.875, 2.5));
    LimitBreaking.Result result = LimitBreaking.decide(candidates, buffer, 0, 100, config,
        i -> SeedStream.of(1, 1, Phase.LIMIT_BREAK, i));
    // budget: floor(0.012 * 100) = 1 solution; the highest-utility candidate wins it
    assertThat(result.selectedCount()).isEqualTo(1);
    assertThat(result.decisions().get(1).selected()).isTrue();
    assertThat(result.decisions().get(1).utility()).isGreaterThan(config.tau());
    assertThat(result.decisions().get(0).utility()).isLessThan(config.tau());
    assertThat(result.buffer()).hasSize(8);
  }

  @Test
  void disabledLimitBreakingSelectsNothingButStillScores() {
    LimitBreakConfig off = new LimitBreakConfig(false, LimitBreakConfig.Selection.UTILITY, 0.5, 1.0, 4, 0.5, 0.1);
    LimitBreaking.Result result = LimitBreaking.decide(
        List.of(new Utility.Features(0, 1), new Utility.Features(1, 5)),
        List.of(new Utility.Features(0, 1), new Utility.Features(0, 1), new Utility.Features(0, 1)),
        0, 1000, off, i -> SeedStream.of(1, 1, Phase.LIMIT_BREAK, i));
    assertThat(result.selectedCount()).isZero();
    assertThat(result.decisions().get(1).utility()).isGreaterThan(0);
    assertThat(result.buffer()).hasSize(4);
  }
}
