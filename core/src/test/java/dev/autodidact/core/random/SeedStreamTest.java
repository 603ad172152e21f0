package dev.autodidact.core.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SeedStreamTest {

  @Test
  void sameKeyGivesTheSameNumbers() {
    SeedStream a = SeedStream.of(42, 3, Phase.SOLVE, 7);
    SeedStream b = SeedStream.of(42, 3, Phase.SOLVE, 7);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }
  }

  @Test
  void everyKeyComponentChangesTheStream() {
    Set<Long> firsts = new HashSet<>();
    firsts.add(SeedStream.of(42, 3, Phase.SOLVE, 7).nextLong());
    firsts.add(SeedStream.of(43, 3, Phase.SOLVE, 7).nextLong());
    firsts.add(SeedStream.of(42, 4, Phase.SOLVE, 7).nextLong());
    firsts.add(SeedStream.of(42, 3, Phase.GENERATE, 7).nextLong());
    firsts.add(SeedStream.of(42, 3, Phase.SOLVE, 8).nextLong());
    firsts.add(SeedStream.of(42, 3, Phase.SOLVE, 7).child(0).nextLong());
    assertThat(firsts).hasSize(6);
  }

  @Test
  void uniformDrawsLookUniform() {
    SeedStream s = SeedStream.of(1, 0, Phase.EVAL, 0);
    int[] buckets = new int[10];
    for (int i = 0; i < 100_000; i++) {
      buckets[s.nextInt(10)]++;
    }
    for (int count : buckets) {
      assertThat(count).isBetween(9_500, 10_500);
    }
  }

  @Property
  void nextIntStaysInBounds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1000) int bound) {
    SeedStream s = SeedStream.of(seed, 0, Phase.GENERATE, 0);
    for (int i = 0; i < 20; i++) {
      assertThat(s.nextInt(bound)).isBetween(0, bound - 1);
      assertThat(s.nextOpenDouble()).isStrictlyBetween(0.0, 1.0);
    }
  }

  @Property
  void aResumedStreamDrawsWhatTheOriginalWouldHave(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int drawn) {
    SeedStream original = SeedStream.of(seed, 2, Phase.SOLVE, 5);
    for (int i = 0; i < drawn; i++) {
      original.nextLong();
    }
    SeedStream resumed = SeedStream.resume(original.key(), original.position());
    for (int i = 0; i < 10; i++) {
      assertThat(resumed.nextLong()).isEqualTo(original.nextLong());
    }
  }
}
