package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.GptConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchModelCommandTest {
  @Test
  void flopsPerTokenIsSixTimesParametersPlusTheAttentionTerm() {
    GptConfig config = new GptConfig(99, 512, 128, 4, 4);
    // N = 99*128 + 512*128 + 4*(12*128^2 + 13*128) + 2*128 = 78,208 + 793,088 + 256 = 871,552
    assertThat(config.parameterCount()).isEqualTo(871_552L);
    // 6 N + 6 L T d = 5,229,312 + 6*4*512*128 = 5,229,312 + 1,572,864
    assertThat(BenchModelCommand.flopsPerToken(config)).isEqualTo(6_802_176.0);
  }

  @Test
  void mfuIsAchievedModelFlopsOverThePeak() {
    // 1e6 FLOPs per token at 10,000 tokens/s = 10 GFLOP/s of a 50 GFLOP/s peak.
    assertThat(BenchModelCommand.mfu(1e6, 10_000, 50)).isCloseTo(0.2, within(1e-12));
    assertThat(BenchModelCommand.mfu(6_802_176.0, 13_000, 88.4))
        .isCloseTo(6_802_176.0 * 13_000 / 88.4e9, within(1e-12));
    assertThatThrownBy(() -> BenchModelCommand.mfu(1e6, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachMatmulRoundDoesAboutTheWorkOfOne1024Product() {
    assertThat(BenchModelCommand.multipliesFor(256)).isEqualTo(64);
    assertThat(BenchModelCommand.multipliesFor(512)).isEqualTo(8);
    assertThat(BenchModelCommand.multipliesFor(1024)).isEqualTo(1);
    assertThat(BenchModelCommand.multipliesFor(2048)).isEqualTo(1);
  }

  @Test
  void randomSequencesFillTheContextWithOrdinaryTokens() {
    GptConfig config = GptConfig.small();
    List<int[]> sequences = BenchModelCommand.randomSequences(config, 3, 0);
    assertThat(sequences).hasSize(3).allSatisfy(ids -> {
      assertThat(ids).hasSize(config.contextLength());
      for (int id : ids) {
        assertThat(id).isBetween(CharTokenizer.NEWLINE, config.vocabSize() - 1);
      }
    });
    assertThat(BenchModelCommand.randomSequences(config, 3, 0).get(1)).containsExactly(sequences.get(1));
  }
}
