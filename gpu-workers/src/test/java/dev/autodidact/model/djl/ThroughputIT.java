package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.Completion;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.model.TrainStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of the default (small) policy on this machine, logged for the record. The floors
 * are far below the targets (10k tokens/s): they only catch a lost KV cache or allocator
 * tuning, not a slow shared machine.
 */
class ThroughputIT {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputIT.class);

  @Test
  void smallPolicyTrainsAndSamples() {
    try (DjlPolicy two = DjlPolicy.create(GptConfig.small(), 1, 2);
        DjlPolicy one = DjlPolicy.create(GptConfig.small(), 1, 1)) {
      double train = trainRate(two);
      Rate batched = sampleRate(two, 64, 128, 1f);
      Rate greedy = sampleRate(two, 64, 128, 0f);
      Rate single = sampleRate(two, 4, 128, 1f);
      Rate singleOneThread = sampleRate(one, 4, 128, 1f);
      LOG.info("small policy: training {} tokens/s (2 threads, 32 x 255 tokens); sampling at "
              + "batch 64 {} tokens/s (2 threads, mean completion {} tokens), greedy {} tokens/s "
              + "(mean completion {}); at batch 1 {} tokens/s with 2 threads, {} with 1 thread",
          (long) train, (long) batched.tokensPerSecond(), batched.meanLength(),
          (long) greedy.tokensPerSecond(), greedy.meanLength(),
          (long) single.tokensPerSecond(), (long) singleOneThread.tokensPerSecond());
      assertThat(train).isGreaterThan(1500);
      assertThat(batched.tokensPerSecond()).isGreaterThan(1000);
    }
  }

  private static double trainRate(DjlPolicy policy) {
    List<int[]> batch = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      batch.add(TinyPolicies.randomTokens(100 + i, 253));
    }
    policy.supervisedStep(batch, OptimizerConfig.defaults()); // warm-up
    long trained = 0;
    long start = System.nanoTime();
    for (int s = 0; s < 3; s++) {
      TrainStats stats = policy.supervisedStep(batch, OptimizerConfig.defaults());
      trained += stats.tokens();
    }
    return trained / seconds(start);
  }

  private record Rate(double tokensPerSecond, long meanLength) {}

  /** {@code requests} of batch size {@code rows}, or one at a time when rows is below 8. */
  private static Rate sampleRate(
      DjlPolicy policy, int requests, int maxNewTokens, float temperature) {
    List<SampleRequest> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      all.add(new SampleRequest(TinyPolicies.randomTokens(i, 20 + i % 13), maxNewTokens,
          temperature, SeedStream.of(5, 0, Phase.SOLVE, i)));
    }
    policy.sample(all.subList(0, 1)); // warm-up
    boolean oneAtATime = requests < 8;
    long generated = 0;
    long start = System.nanoTime();
    if (oneAtATime) {
      for (SampleRequest r : all) {
        generated += policy.sample(List.of(r)).get(0).tokens().length;
      }
    } else {
      for (Completion c : policy.sample(all)) {
        generated += c.tokens().length;
      }
    }
    return new Rate(generated / seconds(start), generated / requests);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
