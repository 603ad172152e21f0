package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final int STEPS = 3;

  @Test
  void theSameSeedGivesTheSameBytesAndAResumedRunEqualsAnUninterruptedOne() {
    byte[] uninterrupted;
    byte[] midway;
    try (Policy policy = Policies.create(GptConfig.tiny(), 42, 1)) {
      runSteps(policy, 0, STEPS);
      midway = policy.checkpoint();
      runSteps(policy, STEPS, 2 * STEPS);
      uninterrupted = policy.checkpoint();
    }
    try (Policy again = Policies.create(GptConfig.tiny(), 42, 1)) {
      runSteps(again, 0, 2 * STEPS);
      assertThat(again.checkpoint()).isEqualTo(uninterrupted);
    }
    try (Policy resumed = Policies.restore(midway, 1)) {
      assertThat(resumed.checkpoint()).isEqualTo(midway);
      assertThat(resumed.version()).isEqualTo(2 * STEPS);
      runSteps(resumed, STEPS, 2 * STEPS);
      assertThat(resumed.checkpoint()).isEqualTo(uninterrupted);
      assertThat(resumed.version()).isEqualTo(4 * STEPS);
    }
  }

  @Test
  void twoIntraOpThreadsAreDeterministicToo() {
    byte[] first;
    try (Policy policy = Policies.create(GptConfig.tiny(), 43, 2)) {
      runSteps(policy, 0, 2);
      first = policy.checkpoint();
    }
    try (Policy policy = Policies.create(GptConfig.tiny(), 43, 2)) {
      runSteps(policy, 0, 2);
      assertThat(policy.checkpoint()).isEqualTo(first);
    }
  }

  @Test
  void anotherSeedGivesOtherWeights() {
    try (Policy a = Policies.create(GptConfig.tiny(), 1, 1);
        Policy b = Policies.create(GptConfig.tiny(), 2, 1)) {
      assertThat(a.checkpoint()).isNotEqualTo(b.checkpoint());
    }
  }

  @Test
  void truncatedOrCorruptedBytesAreRefusedWithAClearMessage() {
    byte[] good;
    try (Policy policy = Policies.create(GptConfig.tiny(), 7, 1)) {
      good = policy.checkpoint();
    }
    assertRefused(Arrays.copyOf(good, good.length - 1), "truncated");
    assertRefused(Arrays.copyOf(good, 10), "truncated");
    assertRefused(new byte[0], "truncated");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    assertRefused(flipped, "corrupted");
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertRefused(badMagic, "magic");
    byte[] badConfig = good.clone();
    badConfig[16] = 0x7f; // embedDim's top byte
    assertRefused(badConfig, "checkpoint");
    byte[] longer = Arrays.copyOf(good, good.length + 3);
    assertRefused(longer, "trailing");
  }

  private static void assertRefused(byte[] bytes, String reason) {
    assertThatThrownBy(() -> Policies.restore(bytes, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  /** Steps {@code from .. to-1}: each a supervised step then a reinforce step on fresh samples. */
  private static void runSteps(Policy policy, int from, int to) {
    OptimizerConfig opt = OptimizerConfig.defaults().withLearningRate(1e-3f);
    for (int step = from; step < to; step++) {
      policy.supervisedStep(TrainingTest.corpus(step, 4), opt);
      List<SampleRequest> requests = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        requests.add(new SampleRequest(TinyPolicies.encode("task " + i + ": "), 16, 1f,
            SeedStream.of(42, step, Phase.SOLVE, i)));
      }
      List<Completion> completions = policy.sample(requests);
      List<PolicySample> samples = new ArrayList<>();
      for (int i = 0; i < completions.size(); i++) {
        Completion c = completions.get(i);
        samples.add(new PolicySample(requests.get(i).prompt(), c.tokens(), c.logProbs(), i % 2 == 0 ? 1f : -0.5f));
      }
      policy.reinforceStep(samples, LossConfig.defaults(), opt);
    }
  }
}
