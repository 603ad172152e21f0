package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.model.CharTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KvCacheTest {
  private static DjlPolicy policy;

  @BeforeAll
  static void createPolicy() {
    policy = TinyPolicies.create(11);
  }

  @AfterAll
  static void closePolicy() {
    policy.close();
  }

  @Test
  void cachedLogProbsEqualFullRecompute() {
    int[] tokens = TinyPolicies.randomTokens(3, 60);
    tokens[0] = CharTokenizer.BOS;
    int prefill = 7;
    float[][] full = policy.fullLogProbs(tokens);
    float[][] cached = policy.cachedLogProbs(tokens, prefill);
    assertThat(cached).hasNumberOfRows(tokens.length - prefill + 1);
    for (int i = 0; i < cached.length; i++) {
      float[] expected = full[prefill - 1 + i];
      for (int v = 0; v < expected.length; v++) {
        assertThat(cached[i][v]).as("position %d token %d", prefill - 1 + i, v)
            .isCloseTo(expected[v], within(1e-4f));
      }
    }
  }
}
