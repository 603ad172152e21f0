package dev.autodidact.core.reward;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task-relative REINFORCE++ advantages (METHOD.md): each sample's scalar reward is
 * normalised against the other samples of its (role, task type) group in the batch,
 * A = (r - mean) / (std + 1e-8).
 *
 * <p>Over tokens (the default, as AZR does), each sample counts once per completion token,
 * so the group's mean and standard deviation are those of the token-level returns.
 */
public final class Advantages {
  static final double EPSILON = 1e-8;

  private Advantages() {}

  /** One sample: its group (e.g. "solver/D"), reward and completion length in tokens. */
  public record Sample(String group, double reward, int tokens) {
    public Sample {
      if (tokens < 0) {
        throw new IllegalArgumentException("tokens must be >= 0");
      }
    }
  }

  /** The advantage of each sample, in the order given. */
  public static double[] taskRelative(List<Sample> samples, boolean overTokens) {
    Map<String, double[]> moments = new HashMap<>(); // group -> {weight, sum, sumSquares}
    for (Sample sample : samples) {
      double weight = overTokens ? sample.tokens() : 1.0;
      double[] m = moments.computeIfAbsent(sample.group(), g -> new double[3]);
      m[0] += weight;
      m[1] += weight * sample.reward();
      m[2] += weight * sample.reward() * sample.reward();
    }
    double[] advantages = new double[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      Sample sample = samples.get(i);
      double[] m = moments.get(sample.group());
      if (m[0] == 0.0) {
        continue; // a group of empty completions carries no token, hence no signal
      }
      double mean = m[1] / m[0];
      double variance = Math.max(0.0, m[2] / m[0] - mean * mean);
      advantages[i] = (sample.reward() - mean) / (Math.sqrt(variance) + EPSILON);
    }
    return advantages;
  }
}
