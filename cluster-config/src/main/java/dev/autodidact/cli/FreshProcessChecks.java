package dev.autodidact.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * CRUXEval's evaluator design as a baseline: every check in a new {@code python3 -c <program>}
 * process with default flags, killed after the time limit; a check passes when the process
 * exits with 0. {@code concurrency} processes run at once.
 */
final class FreshProcessChecks {
  private FreshProcessChecks() {}

  static DesignRun run(Path python, Map<String, String> extraEnvironment, List<String> programs, int concurrency,
      Duration timeout) throws InterruptedException {
    ExecutorService launchers = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      List<Future<Boolean>> verdicts = new ArrayList<>(programs.size());
      for (String program : programs) {
        verdicts.add(launchers.submit(() -> passes(python, extraEnvironment, program, timeout)));
      }
      List<Boolean> passed = new ArrayList<>(programs.size());
      for (Future<Boolean> verdict : verdicts) {
        passed.add(get(verdict));
      }
      return new DesignRun(passed, (System.nanoTime() - start) / 1e9);
    } finally {
      launchers.shutdownNow();
    }
  }

  private static boolean passes(Path python, Map<String, String> extraEnvironment, String program, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(python.toString(), "-c", program)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(extraEnvironment);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      return false;
    }
    return process.exitValue() == 0;
  }

  private static boolean get(Future<Boolean> verdict) throws InterruptedException {
    try {
      return verdict.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot run a fresh python3 process: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
