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
  void modelFlopsPerTokenArePalmsSixNPlusTwelveLtd() {
    GptConfig config = new GptConfig(99, 512, 128, 4, 4);
    // all parameters: 99*128 + 512*128 + 4*(12*128^2 + 13*128) + 2*128 = 871,552
    assertThat(config.parameterCount()).isEqualTo(871_552L);
    // without the 512*128 position embeddings: 806,016
    assertThat(BenchModelCommand.matmulParameters(config)).isEqualTo(806_016L);
    // 6 N + 12 L T d = 4,836,096 + 12*4*512*128 = 4,836,096 + 3,145,728
    assertThat(BenchModelCommand.flopsPerToken(config)).isEqualTo(7_981_824.0);
    // causal: 4,836,096 + 6*4*512*128
    assertThat(BenchModelCommand.causalFlopsPerToken(config)).isEqualTo(6_408_960.0);
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
