package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Measures single-precision matrix-multiply throughput on the policies' device. */
final class MatmulProbe {
  private MatmulProbe() {}

  /**
   * The best of {@code repeats} timed rounds of {@code n x n} fp32 matrix products, after one
   * untimed round; a round is {@code multiplies} products. Each product is forced to finish
   * (a one-element read) before the clock stops, so an asynchronous device is timed fairly.
   *
   * @return GFLOP/s, counting {@code 2 n^3} floating-point operations per product
   */
  static double gflops(int n, int multiplies, int repeats, int threads, long seed) {
    if (n <= 0 || multiplies <= 0 || repeats <= 0) {
      throw new IllegalArgumentException("n, multiplies and repeats must be positive");
    }
    return Torch.inference(threads, () -> {
      try (NDManager manager =
          NDManager.newBaseManager(Torch.device(), Torch.engine().getEngineName())) {
        NDArray a = manager.create(values(n, seed), new Shape(n, n));
        NDArray b = manager.create(values(n, seed + 1), new Shape(n, n));
        round(a, b, multiplies);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
          long start = System.nanoTime();
          round(a, b, multiplies);
          best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * n * n * (double) n * multiplies / best / 1e9;
      }
    });
  }

  private static void round(NDArray a, NDArray b, int multiplies) {
    for (int i = 0; i < multiplies; i++) {
      try (NDArray product = a.matMul(b); NDArray one = product.get(0, 0)) {
        one.getFloat();
      }
    }
  }

  private static float[] values(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n * n];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }
}
