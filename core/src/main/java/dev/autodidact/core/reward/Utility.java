package dev.autodidact.core.reward;

import java.util.List;

/**
 * The utility score of an unsolved task:
 * z(x) = gamma * zscore(mu(x)) + (1 - gamma) * zscore(nov(x)),
 * both z-scores taken against the sliding buffer of recent unsolved tasks.
 */
public final class Utility {
  private Utility() {}

  /** One unsolved task's two features. */
  public record Features(double mu, double novelty) {}

  /** (value - mean) / std over the population; 0 when the population has no spread. */
  public static double zscore(double value, double[] population) {
    if (population.length == 0) {
      return 0.0;
    }
    double mean = 0.0;
    for (double v : population) {
      mean += v;
    }
    mean /= population.length;
    double variance = 0.0;
    for (double v : population) {
      variance += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(variance / population.length);
    return std < 1e-12 ? 0.0 : (value - mean) / std;
  }

  /** z(x) of {@code task} against {@code buffer} (which should already hold the task). */
  public static double score(Features task, List<Features> buffer, double gamma) {
    double[] mus = buffer.stream().mapToDouble(Features::mu).toArray();
    double[] novelties = buffer.stream().mapToDouble(Features::novelty).toArray();
    return gamma * zscore(task.mu(), mus) + (1.0 - gamma) * zscore(task.novelty(), novelties);
  }

  /** Novelty: mean per-token negative log-likelihood of the task text under its generator. */
  public static double novelty(float[] tokenLogProbs) {
    if (tokenLogProbs.length == 0) {
      return 0.0;
    }
    double sum = 0.0;
    for (float logProb : tokenLogProbs) {
      sum -= logProb;
    }
    return sum / tokenLogProbs.length;
  }
}
