package dev.autodidact.cli;

import dev.autodidact.sandbox.SandboxConfig;
import dev.autodidact.sandbox.SandboxPool;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The sandbox pool's flags, shared by the {@code sandbox} commands. */
final class PoolOptions {

  /** CRUXEval's evaluator gave every check 3 s. */
  static final long DEFAULT_TIMEOUT_MS = 3000;

  @Option(names = "--workers", paramLabel = "N",
      description = "warm Python worker processes (default: one per core, ${DEFAULT-VALUE})")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(names = "--timeout-ms", paramLabel = "MS",
      description = "wall-clock limit of one job in milliseconds (default: ${DEFAULT-VALUE})")
  long timeoutMs = DEFAULT_TIMEOUT_MS;

  @Option(names = "--allow-weak-sandbox-isolation",
      description = "run the jobs even where this host cannot apply every layer of the sandbox's jail")
  boolean allowWeakIsolation;

  SandboxConfig config() {
    if (workers <= 0) {
      throw new UserError("--workers must be at least 1, not " + workers);
    }
    if (timeoutMs <= 0) {
      throw new UserError("--timeout-ms must be positive, not " + timeoutMs);
    }
    return SandboxConfig.defaults().withWorkers(workers).withTimeout(Duration.ofMillis(timeoutMs))
        .withAllowWeakIsolation(allowWeakIsolation);
  }

  SandboxPool start() {
    return start(config());
  }

  /** Starts a pool; a host that cannot run it is a one-line {@link UserError} that says how to fix it. */
  static SandboxPool start(SandboxConfig config) {
    try {
      return SandboxPool.start(config);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * Jobs started but not yet printed: enough for every worker to take full batches (the pool
   * sends up to 16 jobs per frame), few enough to keep memory small.
   */
  int window() {
    return 32 * workers;
  }
}
