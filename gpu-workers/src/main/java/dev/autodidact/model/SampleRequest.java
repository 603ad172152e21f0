package dev.autodidact.model;

import dev.autodidact.core.random.SeedStream;

/**
 * One completion to sample.
 *
 * @param prompt token ids; the policy prepends BOS unless the prompt starts with it. If it
 *     does not fit the context it is truncated from the left
 * @param maxNewTokens upper bound on generated tokens, EOS included
 * @param temperature softmax temperature; 0 means greedy (no noise drawn)
 * @param noise this request's own stream: one Gumbel draw per vocabulary entry per generated
 *     position, in vocabulary order; the stream is advanced by sampling
 */
public record SampleRequest(int[] prompt, int maxNewTokens, float temperature, SeedStream noise) {
  public SampleRequest {
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("maxNewTokens must be >= 0: " + maxNewTokens);
    }
    if (!(temperature >= 0) || !Float.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and >= 0: " + temperature);
    }
    if (temperature > 0 && noise == null) {
      throw new IllegalArgumentException(
          "a sampled request (temperature > 0) needs a noise stream");
    }
  }
}
