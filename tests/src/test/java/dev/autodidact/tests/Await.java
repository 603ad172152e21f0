package dev.autodidact.tests;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in tests with real processes: a hang fails, a slow machine does not. */
final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds; fails after two minutes (a hang, not a speed limit). */
  static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited two minutes for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
