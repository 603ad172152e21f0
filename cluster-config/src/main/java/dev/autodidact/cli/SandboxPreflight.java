package dev.autodidact.cli;

import dev.autodidact.sandbox.SandboxConfig;
import dev.autodidact.sandbox.SandboxPool;
import org.slf4j.LoggerFactory;

/**
 * Starts one sandbox worker before a command does any real work, so that a host that cannot
 * jail generated programs is reported in one line (exit code 2) with the way to fix it,
 * instead of as a failure in the middle of pretraining or of a run.
 */
final class SandboxPreflight {

  private SandboxPreflight() {}

  static void require(SandboxConfig config) {
    try (SandboxPool pool = PoolOptions.start(config.withWorkers(1))) {
      if (!pool.isolation().complete()) {
        LoggerFactory.getLogger(SandboxPreflight.class)
            .warn("Running generated programs with WEAK isolation, as allowed: {}", pool.isolation().describe());
      }
    }
  }
}
