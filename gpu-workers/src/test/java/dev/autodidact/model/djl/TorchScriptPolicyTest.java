package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.LossConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.PolicySample;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.TrainStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture model (gpu-workers/scripts/make_torchscript_fixture.py) trained through DJL. */
class TorchScriptPolicyTest {
  private static final OptimizerConfig FAST = OptimizerConfig.defaults().withLearningRate(3e-3f);

  @Test
  void theFixtureDeclaresItsContextAndTheTokenizersVocabulary() {
    try (Policy policy = TorchScriptFixtures.load()) {
      assertThat(policy.vocabSize()).isEqualTo(TinyPolicies.TOKENIZER.vocabSize());
      assertThat(policy.contextLength()).isEqualTo(128);
      assertThat(policy.version()).isZero();
    }
  }

  @Test
  void supervisedLossFallsOnAFewFixedSequences() {
    List<int[]> corpus = List.of(
        TinyPolicies.encode("def f(x):\n    return x + 1\n"),
        TinyPolicies.encode("assert f(2) == 3\n"),
        TinyPolicies.encode("print(f(41))\n"));
    try (Policy policy = TorchScriptFixtures.load()) {
      TrainStats first = policy.supervisedStep(corpus, FAST);
      TrainStats last = first;
      for (int i = 0; i < 24; i++) {
        last = policy.supervisedStep(corpus, FAST);
      }
      System.out.printf("TorchScript fixture: supervised loss %.4f -> %.4f over 25 steps%n",
          first.loss(), last.loss());
      assertThat(first.skipped()).isFalse();
      assertThat(first.loss()).isGreaterThan(4.0); // about ln(99) at the start
      assertThat(last.loss()).isLessThan(first.loss() * 0.6);
      assertThat(last.tokens()).isEqualTo(corpus.stream().mapToInt(s -> s.length + 1).sum());
      assertThat(policy.version()).isEqualTo(25);
    }
  }

  @Test
  void aPositiveAdvantageRaisesTheReinforcedCompletionsLogProbAndANegativeOneLowersIt() {
    assertThat(logProbChangeAfterUpdate(1f)).isPositive();
    assertThat(logProbChangeAfterUpdate(-1f)).isNegative();
  }

  private static double logProbChangeAfterUpdate(float advantage) {
    try (Policy policy = TorchScriptFixtures.load()) {
      List<SampleRequest> requests = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        requests.add(new SampleRequest(TinyPolicies.encode("f(" + i + ") = "), 10, 1f,
            SeedStream.of(3, 0, Phase.SOLVE, i)));
      }
      List<Completion> completions = policy.sample(requests);
      List<int[]> prompts = requests.stream().map(SampleRequest::prompt).toList();
      List<int[]> tokens = completions.stream().map(Completion::tokens).toList();
      double before = total(policy.logProbs(prompts, tokens));
      List<PolicySample> samples = new ArrayList<>();
      for (int i = 0; i < completions.size(); i++) {
        Completion c = completions.get(i);
        samples.add(new PolicySample(prompts.get(i), c.tokens(), c.logProbs(), advantage));
      }
      TrainStats stats = policy.reinforceStep(samples, LossConfig.defaults(),
          OptimizerConfig.defaults().withLearningRate(1e-3f));
      assertThat(stats.skipped()).isFalse();
      assertThat(stats.clipFraction()).isZero(); // on-policy: rho = 1
      assertThat(policy.version()).isEqualTo(1);
      return total(policy.logProbs(prompts, tokens)) - before;
    }
  }

  @Test
  void sampledLogProbsAreTheTeacherForcedOnes() {
    try (Policy policy = TorchScriptFixtures.load()) {
      SampleRequest request = TinyPolicies.request("def f(x):", 20, 4);
      Completion c = policy.sample(List.of(request)).get(0);
      float[] scored = policy.logProbs(List.of(request.prompt()), List.of(c.tokens())).get(0);
      assertThat(scored).hasSameSizeAs(c.logProbs()).isNotEmpty();
      for (int t = 0; t < scored.length; t++) {
        assertThat(scored[t]).isCloseTo(c.logProbs()[t], within(1e-4f));
      }
    }
  }

  @Test
  void aNonFiniteLossSkipsTheUpdateAndLeavesTheStateUntouched() {
    try (Policy policy = TorchScriptFixtures.load()) {
      policy.supervisedStep(List.of(TinyPolicies.encode("warm")), FAST);
      byte[] before = policy.checkpoint();
      int[] completion = TinyPolicies.encode("abc");
      TrainStats stats = policy.reinforceStep(
          List.of(new PolicySample(TinyPolicies.encode("q"), completion, new float[3], Float.NaN)),
          LossConfig.defaults(), FAST);
      assertThat(stats.skipped()).isTrue();
      assertThat(stats.skipReason()).contains("non-finite");
      assertThat(policy.version()).isEqualTo(1);
      assertThat(policy.checkpoint()).isEqualTo(before);
    }
  }

  @Test
  void repeatedCallsLeaveNoArraysBehind() {
    try (TorchScriptPolicy policy = (TorchScriptPolicy) TorchScriptFixtures.load()) {
      int arraysAtStart = policy.liveArrays();
      for (int round = 0; round < 3; round++) {
        SampleRequest request = TinyPolicies.request("round " + round, 6, round);
        Completion c = policy.sample(List.of(request)).get(0);
        policy.reinforceStep(
            List.of(new PolicySample(request.prompt(), c.tokens(), c.logProbs(), 1f)),
            LossConfig.defaults(), FAST);
        policy.supervisedStep(List.of(TinyPolicies.encode("x = " + round)), FAST);
        policy.logProbs(List.of(request.prompt()), List.of(c.tokens()));
        policy.checkpoint();
        assertThat(policy.liveArrays()).as("arrays after round %d", round).isEqualTo(arraysAtStart);
      }
    }
  }

  @Test
  void theTiedHeadIsTrainedOnceUnderTheEmbeddingsName() {
    try (Policy policy = TorchScriptFixtures.load()) {
      List<String> names = TorchScriptCheckpoint.decode(policy.checkpoint()).tensors().stream()
          .map(CheckpointCodec.TensorState::name).toList();
      assertThat(names).contains("wte.weight", "wpe.weight", "ln_f.bias")
          .doesNotContain("head.weight")
          .hasSize(28); // 2 embeddings, 12 per block, final LayerNorm
    }
  }

  @Test
  void policiesRestoresATorchScriptCheckpointByItsMagic() {
    try (Policy policy = TorchScriptFixtures.load()) {
      byte[] checkpoint = policy.checkpoint();
      assertThat(new String(checkpoint, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("ADTS");
      try (Policy restored = Policies.restore(checkpoint, 1)) {
        assertThat(restored).isInstanceOf(TorchScriptPolicy.class);
        assertThat(restored.checkpoint()).isEqualTo(checkpoint);
      }
    }
  }

  private static double total(List<float[]> logProbs) {
    double sum = 0;
    for (float[] row : logProbs) {
      for (float v : row) {
        sum += v;
      }
    }
    return sum;
  }
}
