package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autodidact.model.Completion;
import dev.autodidact.model.ModelBench;
import dev.autodidact.model.SampleRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's no-cache sampler samples what the KV-cache sampler samples. */
class UncachedSamplingTest {
  @Test
  void samplesTheSameTokensAsTheKvCacheSampler() {
    try (DjlPolicy policy = TinyPolicies.create(33)) {
      String[] prompts = {"def f(x):", "", "assert f(3) == ", "print('hello, world')  # a long one"};
      List<Completion> cached = policy.sample(requests(prompts));
      List<Completion> uncached = ModelBench.sampleWithoutKvCache(policy, requests(prompts));
      assertThat(uncached).hasSameSizeAs(cached);
      for (int i = 0; i < prompts.length; i++) {
        assertThat(uncached.get(i).tokens()).as("request %d", i).containsExactly(cached.get(i).tokens());
        assertThat(uncached.get(i).finished()).isEqualTo(cached.get(i).finished());
        for (int t = 0; t < cached.get(i).logProbs().length; t++) {
          assertThat(uncached.get(i).logProbs()[t]).isCloseTo(cached.get(i).logProbs()[t], within(1e-4f));
        }
      }
    }
  }

  @Test
  void matmulThroughputIsPositive() {
    assertThat(ModelBench.matmulGflops(64, 2, 2, 1, 5)).isPositive().isFinite();
  }

  private static List<SampleRequest> requests(String[] prompts) {
    List<SampleRequest> batch = new ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      batch.add(TinyPolicies.request(prompts[i], 10 + 9 * i, i));
    }
    return batch;
  }
}
