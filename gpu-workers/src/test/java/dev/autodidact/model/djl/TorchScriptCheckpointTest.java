package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
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

class TorchScriptCheckpointTest {
  private static final int STEPS = 2;

  @Test
  void aRestoredPolicyHasTheSameBytesScoresAndFuture() {
    byte[] midway;
    byte[] uninterrupted;
    List<float[]> scoresMidway;
    try (Policy policy = TorchScriptFixtures.load()) {
      runSteps(policy, 0, STEPS);
      midway = policy.checkpoint();
      scoresMidway = score(policy);
      runSteps(policy, STEPS, 2 * STEPS);
      uninterrupted = policy.checkpoint();
    }
    try (Policy resumed = Policies.restore(midway, 1)) {
      assertThat(resumed.checkpoint()).isEqualTo(midway);
      assertThat(resumed.version()).isEqualTo(2 * STEPS);
      List<float[]> scores = score(resumed);
      for (int i = 0; i < scores.size(); i++) {
        assertThat(scores.get(i)).as("log-probs of completion %d", i).containsExactly(scoresMidway.get(i));
      }
      runSteps(resumed, STEPS, 2 * STEPS);
      assertThat(resumed.checkpoint()).isEqualTo(uninterrupted);
    }
  }

  @Test
  void theSameModuleAndStepsGiveTheSameBytes() {
    byte[] first;
    try (Policy policy = TorchScriptFixtures.load()) {
      runSteps(policy, 0, 1);
      first = policy.checkpoint();
    }
    try (Policy policy = TorchScriptFixtures.load()) {
      runSteps(policy, 0, 1);
      assertThat(policy.checkpoint()).isEqualTo(first);
    }
  }

  @Test
  void truncatedOrCorruptedBytesAreRefusedWithAClearMessage() {
    byte[] good;
    try (Policy policy = TorchScriptFixtures.load()) {
      good = policy.checkpoint();
    }
    assertRefused(Arrays.copyOf(good, good.length - 1), "truncated");
    assertRefused(Arrays.copyOf(good, 10), "truncated");
    byte[] flipped = good.clone();
    flipped[good.length - 100] ^= 0x10; // inside the last tensor's moments
    assertRefused(flipped, "corrupted");
    byte[] inModule = good.clone();
    inModule[2000] ^= 0x01;
    assertRefused(inModule, "corrupted");
    assertRefused(Arrays.copyOf(good, good.length + 3), "trailing");
  }

  private static void assertRefused(byte[] bytes, String reason) {
    assertThatThrownBy(() -> Policies.restore(bytes, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static List<float[]> score(Policy policy) {
    List<int[]> prompts = List.of(TinyPolicies.encode("x = "), TinyPolicies.encode("def g(y):"));
    List<int[]> completions = List.of(TinyPolicies.encode("42\n"), TinyPolicies.encode(" return y"));
    return policy.logProbs(prompts, completions);
  }

  /** Steps {@code from .. to-1}: each a supervised step then a reinforce step on fresh samples. */
  private static void runSteps(Policy policy, int from, int to) {
    OptimizerConfig opt = OptimizerConfig.defaults().withLearningRate(1e-3f);
    for (int step = from; step < to; step++) {
      policy.supervisedStep(TrainingTest.corpus(step, 3), opt);
      List<SampleRequest> requests = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        requests.add(new SampleRequest(TinyPolicies.encode("task " + i + ": "), 12, 1f,
            SeedStream.of(42, step, Phase.SOLVE, i)));
      }
      List<Completion> completions = policy.sample(requests);
      List<PolicySample> samples = new ArrayList<>();
      for (int i = 0; i < completions.size(); i++) {
        Completion c = completions.get(i);
        samples.add(new PolicySample(
            requests.get(i).prompt(), c.tokens(), c.logProbs(), i % 2 == 0 ? 1f : -0.5f));
      }
      policy.reinforceStep(samples, LossConfig.defaults(), opt);
    }
  }
}
