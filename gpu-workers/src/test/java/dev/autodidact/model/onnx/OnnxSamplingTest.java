package dev.autodidact.model.onnx;

import static dev.autodidact.model.onnx.OnnxParityTest.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ONNX Runtime engine samples and scores like the DJL policy it was exported from. */
class OnnxSamplingTest {
  private static Policy policy;
  private static RolloutEngine engine;

  @BeforeAll
  static void trainAndExport() {
    policy = Policies.create(GptConfig.tiny(), 41, 1);
    OptimizerConfig opt = OptimizerConfig.defaults().withLearningRate(1e-2f);
    for (int step = 0; step < 2; step++) {
      policy.supervisedStep(List.of(tokens(300 + step, 60), tokens(400 + step, 120)), opt);
    }
    engine = Policies.onnxRollouts(policy, 1);
  }

  @AfterAll
  static void close() {
    engine.close();
    policy.close();
  }

  /** Mixed prompts, budgets and temperatures; request {@code i} draws from stream {@code i}. */
  private static List<SampleRequest> mixedBatch(long seed) {
    int context = policy.contextLength();
    int[][] prompts = {tokens(1, 12), {}, tokens(2, context + 40), withBos(tokens(3, 5)),
        tokens(4, context - 3), tokens(5, 1), tokens(6, 70), tokens(7, 33)};
    float[] temperatures = {1f, 1f, 0.7f, 1f, 1f, 0f, 1.3f, 0f};
    List<SampleRequest> batch = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      SeedStream noise = temperatures[i] == 0 ? null : SeedStream.of(seed, 0, Phase.SOLVE, i);
      batch.add(new SampleRequest(prompts[i], i == 3 ? 0 : 10 + 9 * i, temperatures[i], noise));
    }
    return batch;
  }

  @Test
  void samplesTheSameTokensAsTheDjlPolicy() {
    List<Completion> djl = policy.sample(mixedBatch(9));
    List<SampleRequest> requests = mixedBatch(9);
    List<Completion> onnx = engine.sample(requests);
    assertThat(onnx).hasSameSizeAs(djl);
    assertThat(djl.stream().mapToInt(c -> c.tokens().length).sum()).isGreaterThan(100);
    for (int i = 0; i < djl.size(); i++) {
      assertThat(onnx.get(i).tokens()).as("request %d", i).containsExactly(djl.get(i).tokens());
      assertThat(onnx.get(i).finished()).as("request %d", i).isEqualTo(djl.get(i).finished());
      assertCloseTo(onnx.get(i).logProbs(), djl.get(i).logProbs(), "request " + i);
      SampleRequest request = requests.get(i);
      if (request.noise() != null) {
        assertThat(request.noise().position()).as("request %d's draws", i)
            .isEqualTo((long) djl.get(i).tokens().length * policy.vocabSize());
      }
    }
  }

  @Test
  void greedySamplesMatchTheDjlPolicy() {
    IntFunction<SampleRequest> greedy = i -> new SampleRequest(tokens(50 + i, 3 + 7 * i), 40, 0f, null);
    for (int i = 0; i < 4; i++) {
      Completion djl = policy.sample(List.of(greedy.apply(i))).get(0);
      Completion onnx = engine.sample(List.of(greedy.apply(i))).get(0);
      assertThat(onnx.tokens()).as("prompt %d", i).containsExactly(djl.tokens());
    }
  }

  @Test
  void aRequestSamplesTheSameAloneAndInsideABatch() {
    List<Completion> together = engine.sample(mixedBatch(12));
    List<SampleRequest> fresh = mixedBatch(12);
    for (int i = 0; i < fresh.size(); i++) {
      Completion alone = engine.sample(List.of(fresh.get(i))).get(0);
      assertThat(together.get(i).tokens()).as("request %d", i).containsExactly(alone.tokens());
      assertCloseTo(together.get(i).logProbs(), alone.logProbs(), "request " + i);
    }
  }

  @Test
  void teacherForcedLogProbsMatchTheDjlPolicy() {
    int context = policy.contextLength();
    List<int[]> prompts = List.of(tokens(20, 15), tokens(21, context + 9), withBos(tokens(22, 2)),
        tokens(23, 40), new int[0]);
    List<int[]> completions = List.of(tokens(30, 25), tokens(31, 12), tokens(32, 1), new int[0],
        tokens(34, context));
    List<float[]> djl = policy.logProbs(prompts, completions);
    List<float[]> onnx = engine.logProbs(prompts, completions);
    for (int i = 0; i < djl.size(); i++) {
      assertThat(onnx.get(i)).as("pair %d", i).hasSameSizeAs(djl.get(i));
      assertCloseTo(onnx.get(i), djl.get(i), "pair " + i);
    }
  }

  @Test
  void behaviourLogProbsEqualTeacherForcedLogProbs() {
    List<SampleRequest> batch = mixedBatch(14);
    List<Completion> sampled = engine.sample(batch);
    List<int[]> prompts = new ArrayList<>();
    List<int[]> completions = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      prompts.add(batch.get(i).prompt());
      completions.add(sampled.get(i).tokens());
    }
    List<float[]> scored = engine.logProbs(prompts, completions);
    for (int i = 0; i < batch.size(); i++) {
      assertCloseTo(scored.get(i), sampled.get(i).logProbs(), "request " + i);
    }
  }

  @Test
  void badInputIsRefusedInOneLine() {
    assertThatThrownBy(() -> engine.sample(List.of(new SampleRequest(new int[] {4, 99}, 3, 0f, null))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99");
    assertThatThrownBy(() -> engine.logProbs(List.of(new int[0]), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("1 prompts but 0 completions");
    assertThatThrownBy(() -> Policies.onnxRollouts(new byte[] {1, 2, 3}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpoint is truncated: 3 bytes is shorter than the header");
    assertThatThrownBy(() -> OnnxRolloutEngine.create(new byte[] {1, 2, 3}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ONNX Runtime cannot load the model: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aClosedEngineRefusesWork() {
    RolloutEngine closed = Policies.onnxRollouts(policy, 1);
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.sample(List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessage("rollout engine is closed");
  }

  private static void assertCloseTo(float[] actual, float[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int t = 0; t < expected.length; t++) {
      assertThat(actual[t]).as("%s, token %d", what, t).isCloseTo(expected[t], within(1e-4f));
    }
  }

  private static int[] withBos(int[] body) {
    return OnnxParityTest.withBos(body);
  }
}
