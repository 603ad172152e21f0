package dev.autodidact.model;

/**
 * Threads a policy uses per kind of work. Small decoding ops run fastest on one intra-op
 * thread each, so sampling splits a batch into {@code sampling} parts decoded in parallel;
 * scoring and training use their count as intra-op threads. The scoring and training counts
 * are part of a run's identity (1 and 2 threads differ in the last bits of a reduction); the
 * sampling count is not (a request's tokens do not depend on the split).
 */
public record ComputeThreads(int sampling, int scoring, int training) {
  public ComputeThreads {
    if (sampling < 1 || scoring < 1 || training < 1) {
      throw new IllegalArgumentException(
          "threads must be >= 1: sampling " + sampling + ", scoring " + scoring + ", training " + training);
    }
  }

  /** The same count for every kind of work. */
  public static ComputeThreads uniform(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    return new ComputeThreads(threads, threads, threads);
  }
}
