package dev.autodidact.model;

import java.util.List;

/** Measurements for {@code autodidact bench model}; not used by training runs. */
public final class ModelBench {
  private ModelBench() {}

  /**
   * Single-precision matrix-multiply throughput on {@link Policies#device()}: the best of
   * {@code repeats} timed rounds of {@code multiplies} products of two {@code n x n} matrices,
   * after one untimed round, with {@code threads} intra-op threads.
   *
   * @return GFLOP/s, counting {@code 2 n^3} operations per product
   */
  public static double matmulGflops(int n, int multiplies, int repeats, int threads, long seed) {
    return Policies.matmulGflops(n, multiplies, repeats, threads, seed);
  }

  /**
   * Like {@link Policy#sample} but without a key/value cache: every new token reruns the full
   * forward pass over each row's whole sequence, in the calling thread with the policy's
   * intra-op threads. The baseline the KV cache is measured against.
   */
  public static List<Completion> sampleWithoutKvCache(Policy policy, List<SampleRequest> batch) {
    return Policies.sampleWithoutKvCache(policy, batch);
  }

  /**
   * Where an ONNX Runtime engine from {@link Policies#onnxRollouts} runs: {@code "CPU"} or
   * {@code "CUDA"}.
   *
   * @throws IllegalArgumentException if the engine is not such an engine
   */
  public static String onnxProvider(RolloutEngine engine) {
    return Policies.onnxProvider(engine);
  }
}
