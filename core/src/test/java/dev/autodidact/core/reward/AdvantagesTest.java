package dev.autodidact.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AdvantagesTest {

  @Test
  void normalisesPerSampleWithinEachGroup() {
    // group a: rewards 1 and -1 -> mean 0, std 1 -> advantages 1, -1
    // group b: rewards 1, 1, -0.5 -> mean 0.5, std sqrt(0.5) -> 0.7071, 0.7071, -1.4142
    List<Advantages.Sample> samples = List.of(
        new Advantages.Sample("a", 1.0, 3),
        new Advantages.Sample("b", 1.0, 5),
        new Advantages.Sample("a", -1.0, 7),
        new Advantages.Sample("b", 1.0, 5),
        new Advantages.Sample("b", -0.5, 5));
    double[] a = Advantages.taskRelative(samples, false);
    assertThat(a[0]).isCloseTo(1.0, within(1e-6));
    assertThat(a[2]).isCloseTo(-1.0, within(1e-6));
    assertThat(a[1]).isCloseTo(0.5 / Math.sqrt(0.5), within(1e-6));
    assertThat(a[4]).isCloseTo(-1.0 / Math.sqrt(0.5), within(1e-6));
  }

  @Test
  void overTokensWeighsLongSamplesMore() {
    // rewards 1 (1 token) and 0 (3 tokens): token mean 0.25, token std sqrt(0.1875)
    List<Advantages.Sample> samples = List.of(
        new Advantages.Sample("g", 1.0, 1), new Advantages.Sample("g", 0.0, 3));
    double[] a = Advantages.taskRelative(samples, true);
    double std = Math.sqrt(0.1875);
    assertThat(a[0]).isCloseTo(0.75 / std, within(1e-6));
    assertThat(a[1]).isCloseTo(-0.25 / std, within(1e-6));
  }

  @Test
  void aGroupWithoutSpreadHasZeroAdvantage() {
    double[] a = Advantages.taskRelative(List.of(
        new Advantages.Sample("g", -1.0, 4), new Advantages.Sample("g", -1.0, 2)), true);
    assertThat(a).containsExactly(0.0, 0.0);
  }

  @Property
  void tokenWeightedAdvantagesHaveZeroMean(
      @ForAll @Size(min = 2, max = 20) List<@DoubleRange(min = -1, max = 1) Double> rewards,
      @ForAll @IntRange(min = 1, max = 30) int tokens) {
    List<Advantages.Sample> samples = rewards.stream()
        .map(r -> new Advantages.Sample("g", r, tokens)).toList();
    double[] a = Advantages.taskRelative(samples, true);
    double sum = 0;
    for (double v : a) {
      sum += v;
    }
    assertThat(sum).isCloseTo(0.0, within(1e-6));
  }
}
