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
 * are far below the targets (10k tokens/s): they only catch a lost KV cache or a leak.
 */
class ThroughputIT {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputIT.class);
  private static final int THREADS = Integer.getInteger("autodidact.bench.threads", 2);

  @Test
  void smallPolicyTrainsAndSamples() {
    try (DjlPolicy policy = DjlPolicy.create(GptConfig.small(), 1, THREADS)) {
      List<int[]> batch = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        batch.add(TinyPolicies.randomTokens(100 + i, 254));
      }
      policy.supervisedStep(batch, OptimizerConfig.defaults()); // warm-up
      int steps = 3;
      long trained = 0;
      long start = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        TrainStats stats = policy.supervisedStep(batch, OptimizerConfig.defaults());
        trained += stats.tokens();
      }
      double trainRate = trained / seconds(start);

      double single = sampleRate(policy, 1, 256);
      double batched = sampleRate(policy, 64, 128);
      LOG.info("small policy, {} threads: training {} tokens/s, sampling {} tokens/s at batch 1, "
          + "{} tokens/s at batch 64", THREADS, (long) trainRate, (long) single, (long) batched);
      assertThat(trainRate).isGreaterThan(1000);
      assertThat(batched).isGreaterThan(1000);
    }
  }

  private static double sampleRate(DjlPolicy policy, int rows, int tokens) {
    List<SampleRequest> requests = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      // Temperature 1 on an untrained model rarely hits EOS, so rows run to maxNewTokens.
      requests.add(new SampleRequest(TinyPolicies.randomTokens(i, 20 + i % 13), tokens, 1f,
          SeedStream.of(5, 0, Phase.SOLVE, i)));
    }
    policy.sample(requests.subList(0, 1));
    long start = System.nanoTime();
    long generated = 0;
    for (Completion c : policy.sample(requests)) {
      generated += c.tokens().length;
    }
    return generated / seconds(start);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
