package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ablation table's arithmetic. */
class AblationTest {

  @Test
  void spreadIsTheMeanAndSampleStandardDeviationOfTheValuesPresent() {
    Ablation.Spread spread = Ablation.Spread.of(Arrays.asList(0.2, null, 0.4, Double.NaN, 0.6));
    assertThat(spread.n()).isEqualTo(3);
    assertThat(spread.mean()).isCloseTo(0.4, within(1e-12));
    assertThat(spread.std()).isCloseTo(0.2, within(1e-12));
    assertThat(Ablation.Spread.of(List.of(0.5)).std()).isZero();
    assertThat(Ablation.Spread.of(Arrays.asList(null, null)).mean()).isNull();
  }

  @Test
  void relativeImprovementIsAgainstTheBaseAndUndefinedFromZero() {
    assertThat(Ablation.relativeImprovement(0.3, 0.2)).isCloseTo(0.5, within(1e-12));
    assertThat(Ablation.relativeImprovement(0.1, 0.2)).isCloseTo(-0.5, within(1e-12));
    assertThat(Ablation.relativeImprovement(0.3, 0.0)).isNull();
    assertThat(Ablation.relativeImprovement(null, 0.2)).isNull();
  }

  @Test
  void theVariantsAreThePapersAblationsAndTheBaselineComesFirst() {
    assertThat(Ablation.VARIANTS).extracting(Ablation.Variant::name)
        .containsExactly("azr", "full", "no_dp", "no_lb", "random_lb");
    assertThat(Ablation.VARIANTS.get(0).sets()).containsExactlyInAnyOrder("rewards.w_dp=0",
        "limit_breaking.enabled=false");
    assertThat(Ablation.seeds(3)).containsExactly(1L, 2L, 3L);
  }
}
