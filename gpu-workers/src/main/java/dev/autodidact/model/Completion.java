package dev.autodidact.model;

/**
 * The result of one {@link SampleRequest}.
 *
 * @param tokens generated ids, including the final EOS if one was produced
 * @param logProbs log-probability of each generated token under the policy at temperature 1
 *     (log-softmax of the raw logits): the behaviour log-prob of the PPO ratio
 * @param finished whether EOS was produced
 */
public record Completion(int[] tokens, float[] logProbs, boolean finished) {}
