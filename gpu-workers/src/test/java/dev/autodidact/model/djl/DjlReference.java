package dev.autodidact.model.djl;

import dev.autodidact.model.Policy;

/** The DJL engine's forward pass, for tests in other packages that compare engines with it. */
public final class DjlReference {
  private DjlReference() {}

  /** Raw logits {@code [T][V]} of a full forward pass (no cache) over {@code tokens}. */
  public static float[][] logits(Policy policy, int[] tokens) {
    return djl(policy).fullLogits(tokens);
  }

  private static DjlPolicy djl(Policy policy) {
    if (!(policy instanceof DjlPolicy djl)) {
      throw new IllegalArgumentException("not a DJL policy: " + policy.getClass().getName());
    }
    return djl;
  }
}
