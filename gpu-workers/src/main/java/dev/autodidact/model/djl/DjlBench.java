package dev.autodidact.model.djl;

import dev.autodidact.model.Completion;
import dev.autodidact.model.Policy;
import dev.autodidact.model.SampleRequest;
import java.util.List;

/** Benchmark-only entry points into the engine; use them through {@code ModelBench}. */
public final class DjlBench {
  private DjlBench() {}

  /** See {@link MatmulProbe#gflops}. */
  public static double matmulGflops(int n, int multiplies, int repeats, int threads, long seed) {
    return MatmulProbe.gflops(n, multiplies, repeats, threads, seed);
  }

  /** Samples the batch without a key/value cache (see {@link UncachedSampler}). */
  public static List<Completion> sampleWithoutKvCache(Policy policy, List<SampleRequest> batch) {
    if (!(policy instanceof DjlPolicy djl)) {
      throw new IllegalArgumentException("not a DJL policy: " + policy.getClass().getName());
    }
    return djl.sampleWithoutKvCache(batch);
  }
}
