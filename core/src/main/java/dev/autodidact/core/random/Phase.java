package dev.autodidact.core.random;

/**
 * The part of a run a random draw belongs to. Part of every stream's key, so that draws of
 * one phase never shift when another phase draws more or fewer numbers.
 * The ordinal is never used: each constant carries a fixed code, so adding a phase never
 * changes the streams of the existing ones.
 */
public enum Phase {
  MODEL_INIT(1),
  PRETRAIN_CORPUS(2),
  PRETRAIN_BATCH(3),
  GENERATE(4),
  SOLVE(5),
  REFERENCE_TASKS(6),
  LIMIT_BREAK(7),
  EXTERNAL_SOLVER(8),
  UPDATE(9),
  EVAL(10),
  HELDOUT(11);

  private final int code;

  Phase(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
