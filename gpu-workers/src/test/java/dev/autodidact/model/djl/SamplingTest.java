package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.Completion;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SamplingTest {
  private static DjlPolicy policy;

  @BeforeAll
  static void createPolicy() {
    policy = TinyPolicies.create(21);
  }

  @AfterAll
  static void closePolicy() {
    policy.close();
  }

  @Test
  void aRequestSamplesTheSameAloneAndInsideABatch() {
    String[] prompts = {"def f(x):", "", "assert f(3) == ", "x", "print('hello, world')  # a long one"};
    List<SampleRequest> batch = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      batch.add(TinyPolicies.request(prompts[i], 20 + 7 * i, i));
    }
    List<Completion> together = policy.sample(batch);
    for (int i = 0; i < prompts.length; i++) {
      Completion alone = policy.sample(List.of(TinyPolicies.request(prompts[i], 20 + 7 * i, i))).get(0);
      assertThat(together.get(i).tokens()).as("request %d", i).containsExactly(alone.tokens());
      assertThat(together.get(i).finished()).isEqualTo(alone.finished());
      for (int t = 0; t < alone.logProbs().length; t++) {
        assertThat(together.get(i).logProbs()[t]).isCloseTo(alone.logProbs()[t], within(1e-5f));
      }
    }
  }

  @Test
  void aLargeMixedBatchSamplesLikeItsRequestsAlone() {
    List<SampleRequest> batch = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      batch.add(new SampleRequest(TinyPolicies.randomTokens(50 + i, 1 + (i * 11) % 60), 8 + i * 3, 1f,
          SeedStream.of(8, 0, Phase.SOLVE, i)));
    }
    List<Completion> together = policy.sample(batch);
    for (int i = 0; i < batch.size(); i++) {
      SampleRequest fresh = new SampleRequest(batch.get(i).prompt(), batch.get(i).maxNewTokens(), 1f,
          SeedStream.of(8, 0, Phase.SOLVE, i));
      Completion alone = policy.sample(List.of(fresh)).get(0);
      assertThat(together.get(i).tokens()).as("request %d", i).containsExactly(alone.tokens());
    }
  }

  @Test
  void aTwoThreadPolicySplitsTheBatchWithoutChangingAnySample() {
    List<SampleRequest> batch = new ArrayList<>();
    List<SampleRequest> same = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int[] prompt = TinyPolicies.randomTokens(70 + i, 2 + 9 * i);
      batch.add(new SampleRequest(prompt, 30, 1f, SeedStream.of(4, 0, Phase.SOLVE, i)));
      same.add(new SampleRequest(prompt, 30, 1f, SeedStream.of(4, 0, Phase.SOLVE, i)));
    }
    List<Completion> oneThread = policy.sample(batch);
    try (DjlPolicy twoThreads = DjlPolicy.create(policy.config(), 21, 2)) {
      List<Completion> split = twoThreads.sample(same);
      assertThat(split).hasSameSizeAs(oneThread);
      for (int i = 0; i < split.size(); i++) {
        assertThat(split.get(i).tokens()).as("request %d", i).containsExactly(oneThread.get(i).tokens());
      }
    }
  }

  @Test
  void aPromptThatStartsWithBosIsTheSamePrompt() {
    int[] body = TinyPolicies.encode("f(2) = ");
    int[] withBos = new int[body.length + 1];
    withBos[0] = CharTokenizer.BOS;
    System.arraycopy(body, 0, withBos, 1, body.length);
    Completion plain = policy.sample(List.of(
        new SampleRequest(body, 20, 1f, SeedStream.of(6, 0, Phase.SOLVE, 0)))).get(0);
    Completion prefixed = policy.sample(List.of(
        new SampleRequest(withBos, 20, 1f, SeedStream.of(6, 0, Phase.SOLVE, 0)))).get(0);
    assertThat(prefixed.tokens()).containsExactly(plain.tokens());
    assertThat(policy.logProbs(List.of(withBos), List.of(plain.tokens())).get(0))
        .containsExactly(policy.logProbs(List.of(body), List.of(plain.tokens())).get(0));
  }

  @Test
  void tokenIdsOutsideTheVocabularyAreRefused() {
    assertThatThrownBy(() -> policy.sample(List.of(new SampleRequest(new int[] {4, 99}, 3, 0f, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
  }

  @Test
  void behaviourLogProbsEqualTeacherForcedLogProbs() {
    List<SampleRequest> batch = List.of(
        TinyPolicies.request("abc", 30, 1), TinyPolicies.request("a much longer prompt", 25, 2));
    List<Completion> completions = policy.sample(batch);
    List<float[]> scored = policy.logProbs(
        List.of(batch.get(0).prompt(), batch.get(1).prompt()),
        List.of(completions.get(0).tokens(), completions.get(1).tokens()));
    for (int i = 0; i < 2; i++) {
      float[] sampled = completions.get(i).logProbs();
      assertThat(scored.get(i)).hasSize(sampled.length);
      for (int t = 0; t < sampled.length; t++) {
        assertThat(scored.get(i)[t]).isCloseTo(sampled[t], within(1e-4f));
      }
    }
  }

  @Test
  void theSameStreamGivesTheSameSampleAndAnotherStreamAnother() {
    Completion first = policy.sample(List.of(TinyPolicies.request("x = ", 40, 5))).get(0);
    Completion again = policy.sample(List.of(TinyPolicies.request("x = ", 40, 5))).get(0);
    Completion other = policy.sample(List.of(TinyPolicies.request("x = ", 40, 6))).get(0);
    assertThat(again.tokens()).containsExactly(first.tokens());
    assertThat(other.tokens()).isNotEqualTo(first.tokens());
  }

  @Test
  void drawsOneGumbelPerVocabularyEntryPerGeneratedToken() {
    SeedStream noise = SeedStream.of(1, 2, Phase.SOLVE, 3);
    Completion c = policy.sample(List.of(new SampleRequest(TinyPolicies.encode("hi"), 9, 1f, noise))).get(0);
    assertThat(noise.position()).isEqualTo((long) c.tokens().length * 99);
  }

  @Test
  void greedySamplingTakesTheMostLikelyToken() {
    Completion c = policy.sample(List.of(new SampleRequest(TinyPolicies.encode("ab"), 5, 0f, null))).get(0);
    int[] input = {CharTokenizer.BOS, TinyPolicies.encode("a")[0], TinyPolicies.encode("b")[0]};
    float[] last = policy.fullLogProbs(input)[input.length - 1];
    int best = 0;
    for (int v = 1; v < last.length; v++) {
      best = last[v] > last[best] ? v : best;
    }
    assertThat(c.tokens()[0]).isEqualTo(best);
  }

  @Test
  void stopsAtMaxNewTokensOrAtAFullContext() {
    int context = policy.config().contextLength();
    int[] longPrompt = TinyPolicies.randomTokens(9, context + 50);
    List<Completion> out = policy.sample(List.of(
        new SampleRequest(TinyPolicies.encode("q"), 0, 1f, SeedStream.of(1, 0, Phase.SOLVE, 0)),
        new SampleRequest(longPrompt, 10, 1f, SeedStream.of(1, 0, Phase.SOLVE, 1)),
        new SampleRequest(TinyPolicies.randomTokens(4, context - 4), 10, 1f, SeedStream.of(1, 0, Phase.SOLVE, 2)),
        new SampleRequest(TinyPolicies.encode("q"), 3, 1f, SeedStream.of(1, 0, Phase.SOLVE, 3))));
    assertThat(out.get(0).tokens()).isEmpty();
    assertThat(out.get(1).tokens().length).isLessThanOrEqualTo(1);
    assertThat(out.get(2).tokens().length).isLessThanOrEqualTo(4);
    assertThat(out.get(3).tokens().length).isLessThanOrEqualTo(3);
    for (Completion c : out) {
      int eos = indexOf(c.tokens(), CharTokenizer.EOS);
      assertThat(eos == -1 || eos == c.tokens().length - 1).isTrue();
      assertThat(c.finished()).isEqualTo(eos >= 0);
      assertThat(c.logProbs()).hasSameSizeAs(c.tokens());
    }
  }

  @Test
  void aLeftTruncatedPromptScoresLikeTheSampler() {
    int context = policy.config().contextLength();
    int[] longPrompt = TinyPolicies.randomTokens(10, context + 30);
    Completion c = policy.sample(List.of(
        new SampleRequest(longPrompt, 5, 1f, SeedStream.of(2, 0, Phase.SOLVE, 0)))).get(0);
    float[] scored = policy.logProbs(List.of(longPrompt), List.of(c.tokens())).get(0);
    for (int t = 0; t < scored.length; t++) {
      assertThat(scored[t]).isCloseTo(c.logProbs()[t], within(1e-4f));
    }
  }

  private static int indexOf(int[] values, int value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
