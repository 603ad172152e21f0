package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.TrainStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingTest {
  private static final OptimizerConfig FAST = OptimizerConfig.defaults().withLearningRate(3e-3f);

  @Test
  void supervisedLossFallsOnARepeatedCorpus() {
    List<int[]> corpus = List.of(
        TinyPolicies.encode("def f(x):\n    return x + 1\n"),
        TinyPolicies.encode("assert f(2) == 3\n"));
    try (DjlPolicy policy = TinyPolicies.create(1)) {
      TrainStats first = policy.supervisedStep(corpus, FAST);
      TrainStats last = first;
      for (int i = 0; i < 40; i++) {
        last = policy.supervisedStep(corpus, FAST);
      }
      assertThat(first.skipped()).isFalse();
      assertThat(first.loss()).isGreaterThan(4.0); // about ln(99) at the start
      assertThat(last.loss()).isLessThan(first.loss() * 0.6);
      assertThat(last.tokens()).isEqualTo(corpus.get(0).length + corpus.get(1).length + 2);
      assertThat(policy.version()).isEqualTo(41);
    }
  }

  @Test
  void aPositiveAdvantageRaisesTheCompletionsLogProbAndANegativeOneLowersIt() {
    assertThat(logProbChangeAfterUpdate(1f)).isPositive();
    assertThat(logProbChangeAfterUpdate(-1f)).isNegative();
  }

  private static double logProbChangeAfterUpdate(float advantage) {
    try (DjlPolicy policy = TinyPolicies.create(2)) {
      int[] prompt = TinyPolicies.encode("f(1) = ");
      Completion c = policy.sample(List.of(
          new SampleRequest(prompt, 12, 1f, SeedStream.of(3, 0, Phase.SOLVE, 0)))).get(0);
      double before = sum(policy.logProbs(List.of(prompt), List.of(c.tokens())).get(0));
      TrainStats stats = policy.reinforceStep(
          List.of(new PolicySample(prompt, c.tokens(), c.logProbs(), advantage)),
          LossConfig.defaults(), OptimizerConfig.defaults().withLearningRate(1e-3f));
      assertThat(stats.skipped()).isFalse();
      assertThat(stats.clipFraction()).isZero(); // on-policy: rho = 1
      assertThat(stats.tokens()).isEqualTo(c.tokens().length);
      double after = sum(policy.logProbs(List.of(prompt), List.of(c.tokens())).get(0));
      return after - before;
    }
  }

  @Test
  void aNonFiniteLossSkipsTheUpdateAndLeavesTheStateUntouched() {
    try (DjlPolicy policy = TinyPolicies.create(3)) {
      policy.supervisedStep(List.of(TinyPolicies.encode("warm")), FAST);
      byte[] before = policy.checkpoint();
      int[] completion = TinyPolicies.encode("abc");
      TrainStats stats = policy.reinforceStep(
          List.of(
              new PolicySample(TinyPolicies.encode("p"), completion, new float[3], 1f),
              new PolicySample(TinyPolicies.encode("q"), completion, new float[3], Float.NaN)),
          LossConfig.defaults(), FAST);
      assertThat(stats.skipped()).isTrue();
      assertThat(stats.skipReason()).contains("non-finite");
      assertThat(policy.version()).isEqualTo(1);
      assertThat(policy.checkpoint()).isEqualTo(before);
      // The refused step leaves no trace: the next step equals one on a fresh restore.
      TrainStats next = policy.supervisedStep(List.of(TinyPolicies.encode("warm")), FAST);
      try (DjlPolicy restored = DjlPolicy.restore(before, 1)) {
        restored.supervisedStep(List.of(TinyPolicies.encode("warm")), FAST);
        assertThat(policy.checkpoint()).isEqualTo(restored.checkpoint());
      }
      assertThat(next.skipped()).isFalse();
    }
  }

  @Test
  void anEmptyBatchIsSkipped() {
    try (DjlPolicy policy = TinyPolicies.create(4)) {
      TrainStats stats = policy.reinforceStep(
          List.of(new PolicySample(new int[] {5}, new int[0], new float[0], 1f)),
          LossConfig.defaults(), FAST);
      assertThat(stats.skipped()).isTrue();
      assertThat(policy.version()).isZero();
    }
  }

  @Test
  void clippingActivatesWhenTheBehaviourPolicyDiffers() {
    try (DjlPolicy policy = TinyPolicies.create(5)) {
      int[] completion = TinyPolicies.encode("xyz");
      float[] behaviour = {-20f, -20f, -20f}; // far less likely than now: rho >> 1 + eps
      TrainStats stats = policy.reinforceStep(
          List.of(new PolicySample(TinyPolicies.encode("p"), completion, behaviour, 1f)),
          LossConfig.defaults(), FAST);
      assertThat(stats.clipFraction()).isEqualTo(1.0);
      assertThat(stats.gradNorm()).isLessThan(1e-3); // clipped branch: entropy term only
    }
  }

  @Test
  void theReportedLossIsTheTokenMeanPpoClipObjectiveMinusTheEntropyBonus() {
    try (DjlPolicy policy = TinyPolicies.create(6)) {
      int[] prompt = TinyPolicies.encode("in: ");
      int[] completion = TinyPolicies.encode("out");
      float[] current = policy.logProbs(List.of(prompt), List.of(completion)).get(0);
      float[] shift = {0.5f, 0f, -0.5f}; // rho = exp(-shift): below, at, above the clip range
      float[] behaviour = new float[3];
      for (int k = 0; k < 3; k++) {
        behaviour[k] = current[k] + shift[k];
      }
      int[] sequence = new int[1 + prompt.length + completion.length];
      sequence[0] = 1;
      System.arraycopy(prompt, 0, sequence, 1, prompt.length);
      System.arraycopy(completion, 0, sequence, 1 + prompt.length, completion.length);
      float[][] distributions = policy.fullLogProbs(sequence);
      double policyLoss = 0;
      double entropy = 0;
      float advantage = 2f;
      for (int k = 0; k < 3; k++) {
        double rho = Math.exp(current[k] - behaviour[k]);
        double clipped = Math.min(Math.max(rho, 0.8), 1.2);
        policyLoss += Math.max(-advantage * rho, -advantage * clipped) / 3;
        for (float lp : distributions[prompt.length + k]) {
          entropy -= Math.exp(lp) * lp / 3;
        }
      }
      TrainStats stats = policy.reinforceStep(
          List.of(new PolicySample(prompt, completion, behaviour, advantage)),
          LossConfig.defaults(), OptimizerConfig.defaults());
      assertThat(stats.loss()).isCloseTo(policyLoss - 0.001 * entropy, within(1e-4));
      assertThat(stats.entropy()).isCloseTo(entropy, within(1e-4));
      assertThat(stats.clipFraction()).isCloseTo(1.0 / 3, within(1e-9));
    }
  }

  static List<int[]> corpus(long seed, int count) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(TinyPolicies.randomTokens(seed * 1000 + i, 10 + (i * 7) % 40));
    }
    return out;
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
