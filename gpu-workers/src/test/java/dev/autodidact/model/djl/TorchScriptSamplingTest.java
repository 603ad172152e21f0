package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.Policy;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.sampling.BatchSampler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TorchScript policy samples with the Gumbel-max semantics of the built-in one. */
class TorchScriptSamplingTest {
  private static Policy policy;

  @BeforeAll
  static void loadPolicy() {
    policy = TorchScriptFixtures.load();
  }

  @AfterAll
  static void closePolicy() {
    policy.close();
  }

  @Test
  void theSameStreamGivesTheSameTokens() {
    Completion first = policy.sample(List.of(TinyPolicies.request("def f(x):", 30, 1))).get(0);
    Completion again = policy.sample(List.of(TinyPolicies.request("def f(x):", 30, 1))).get(0);
    Completion other = policy.sample(List.of(TinyPolicies.request("def f(x):", 30, 2))).get(0);
    assertThat(again.tokens()).containsExactly(first.tokens());
    assertThat(again.logProbs()).containsExactly(first.logProbs());
    assertThat(other.tokens()).isNotEqualTo(first.tokens());
  }

  @Test
  void aRequestSamplesTheSameAloneAndInsideABatch() {
    List<SampleRequest> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batch.add(new SampleRequest(TinyPolicies.randomTokens(70 + i, 1 + (i * 13) % 90), 5 + i * 4, 1f,
          SeedStream.of(8, 0, Phase.SOLVE, i)));
    }
    List<Completion> together = policy.sample(batch);
    for (int i = 0; i < batch.size(); i++) {
      SampleRequest fresh = new SampleRequest(batch.get(i).prompt(), batch.get(i).maxNewTokens(), 1f,
          SeedStream.of(8, 0, Phase.SOLVE, i));
      Completion alone = policy.sample(List.of(fresh)).get(0);
      assertThat(together.get(i).tokens()).as("request %d", i).containsExactly(alone.tokens());
      assertThat(together.get(i).finished()).isEqualTo(alone.finished());
    }
  }

  @Test
  void theChoiceIsTheSharedGumbelMaxOverTheModelsLogProbs() {
    int[] prompt = TinyPolicies.encode("abc");
    float[] row = nextTokenLogProbs(prompt);
    Completion sampled = policy.sample(List.of(TinyPolicies.request("abc", 1, 5))).get(0);
    SeedStream sameNoise = SeedStream.of(7, 1, Phase.SOLVE, 5); // as TinyPolicies.request draws
    assertThat(sampled.tokens()).containsExactly(BatchSampler.choose(row, 0, row.length, 1f, sameNoise));
    Completion greedy = policy.sample(List.of(new SampleRequest(prompt, 1, 0f, null))).get(0);
    assertThat(greedy.tokens()).containsExactly(BatchSampler.choose(row, 0, row.length, 0f, null));
  }

  /** Teacher-forced log-prob of every vocabulary entry after BOS + prompt, in one call. */
  private static float[] nextTokenLogProbs(int[] prompt) {
    List<int[]> prompts = new ArrayList<>();
    List<int[]> completions = new ArrayList<>();
    for (int v = 0; v < policy.vocabSize(); v++) {
      prompts.add(prompt);
      completions.add(new int[] {v});
    }
    List<float[]> scores = policy.logProbs(prompts, completions);
    float[] row = new float[scores.size()];
    for (int v = 0; v < row.length; v++) {
      row[v] = scores.get(v)[0];
    }
    return row;
  }

  @Test
  void theSequenceNeverOutgrowsTheContext() {
    int[] prompt = TinyPolicies.randomTokens(3, 100);
    SampleRequest request = new SampleRequest(prompt, 500, 1f, SeedStream.of(1, 2, Phase.SOLVE, 3));
    Completion c = policy.sample(List.of(request)).get(0);
    int room = policy.contextLength() + 1 - (1 + prompt.length); // BOS + prompt + completion
    assertThat(c.tokens().length).isLessThanOrEqualTo(room);
    assertThat(c.finished() || c.tokens().length == room).isTrue();
  }
}
