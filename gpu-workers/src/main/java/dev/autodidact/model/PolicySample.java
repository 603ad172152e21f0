package dev.autodidact.model;

/**
 * One sequence of a policy update.
 *
 * @param prompt the conditioning ids, as given to {@link SampleRequest}
 * @param completion the generated ids whose log-probs are trained
 * @param behaviourLogProbs the sampling policy's log-prob of each completion token
 * @param advantage the scalar advantage applied to every completion token
 */
public record PolicySample(
    int[] prompt, int[] completion, float[] behaviourLogProbs, float advantage) {
  public PolicySample {
    if (completion.length != behaviourLogProbs.length) {
      throw new IllegalArgumentException(
          "completion has " + completion.length + " tokens but "
              + behaviourLogProbs.length + " behaviour log-probs");
    }
  }
}
