package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.proto.cluster.GenerateRows;
import dev.autodidact.persistence.proto.cluster.SampleRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inference requests and answers survive their trip through protobuf exactly. */
class InferenceJobsTest {

  @Test
  void aSampleRequestCrossesWithItsNoiseStreamWhereItStands() throws Exception {
    SeedStream noise = SeedStream.of(7, 3, Phase.SOLVE, 2);
    noise.nextLong();
    noise.nextLong();
    List<SampleRequest> requests = List.of(new SampleRequest(new int[] {1, 5, 9}, 12, 1.0f, noise),
        new SampleRequest(new int[] {}, 0, 0f, null));

    GenerateRows wire = GenerateRows.parseFrom(RolloutWorker.generateRows(requests).toByteArray());
    List<SampleRequest> read = RolloutWorker.requests(wire);

    assertThat(read).hasSize(2);
    assertThat(read.get(0).prompt()).containsExactly(1, 5, 9);
    assertThat(read.get(0).maxNewTokens()).isEqualTo(12);
    assertThat(read.get(0).temperature()).isEqualTo(1.0f);
    assertThat(read.get(0).noise().nextLong()).as("the next draw the run would have made").isEqualTo(noise.nextLong());
    assertThat(read.get(1).noise()).isNull();
    assertThat(read.get(1).temperature()).isZero();
  }

  @Test
  void completionsCrossBitForBit() throws Exception {
    List<Completion> completions = List.of(
        new Completion(new int[] {4, 2, 0}, new float[] {-0.1f, -2.5e-8f, Float.intBitsToFloat(0x80000001)}, true),
        new Completion(new int[] {}, new float[] {}, false));

    List<Completion> read = RolloutWorker.completions(dev.autodidact.persistence.proto.cluster.GeneratedRows
        .parseFrom(RolloutWorker.generatedRows(completions).toByteArray()));

    assertThat(read).hasSize(2);
    assertThat(read.get(0).tokens()).containsExactly(4, 2, 0);
    for (int i = 0; i < 3; i++) {
      assertThat(Float.floatToRawIntBits(read.get(0).logProbs()[i]))
          .isEqualTo(Float.floatToRawIntBits(completions.get(0).logProbs()[i]));
    }
    assertThat(read.get(0).finished()).isTrue();
    assertThat(read.get(1).tokens()).isEmpty();
    assertThat(read.get(1).finished()).isFalse();
  }

  @Test
  void scoresCrossInOrder() throws Exception {
    List<float[]> scores = List.of(new float[] {-1f, -2f}, new float[] {-3f});
    List<float[]> read = RolloutWorker.logProbs(dev.autodidact.persistence.proto.cluster.ScoredRows
        .parseFrom(RolloutWorker.scoredRows(scores).toByteArray()));
    assertThat(read.get(0)).containsExactly(-1f, -2f);
    assertThat(read.get(1)).containsExactly(-3f);
    assertThat(RolloutWorker.tokens(RolloutWorker.tokenRow(new int[] {3, 1}))).containsExactly(3, 1);
  }

  @Test
  void aMalformedRowIsRefusedAsTheJobsOwnFault() {
    GenerateRows sampledWithoutNoise = GenerateRows.newBuilder()
        .addRows(SampleRow.newBuilder().setMaxNewTokens(3).setTemperature(1f)).build();
    assertThatThrownBy(() -> RolloutWorker.requests(sampledWithoutNoise))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise");
  }
}
