package dev.autodidact.core.reward;

/** How one solver answer fared under verification. */
public enum Outcome {
  CORRECT,
  /** Well formed (it parses) but wrong. */
  WRONG,
  /** Not in the required structure, or does not parse. */
  MALFORMED
}
