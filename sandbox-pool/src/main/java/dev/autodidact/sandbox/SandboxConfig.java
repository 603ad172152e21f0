package dev.autodidact.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SandboxPool}.
 *
 * @param python             interpreter of the workers; Debian's, because the one first on PATH
 *                           may live where an unprivileged uid cannot read it
 * @param minWorkers         warm worker processes kept even when idle
 * @param maxWorkers         the most worker processes the pool grows to under a backlog
 * @param timeout            wall-clock limit of one job, enforced by killing the worker
 * @param memoryBytes        address-space limit of a worker process (RLIMIT_AS)
 * @param maxOutputChars     cap on printed output and on the value's repr
 * @param maxJobsPerWorker   jobs a worker serves before it is replaced, bounding leaked state
 * @param scratchBytes       size of the worker's private tmpfs /tmp (and its RLIMIT_FSIZE)
 * @param idleBeforeShrink   how long a worker above the minimum may idle before it is retired
 * @param allowWeakIsolation run untrusted code even where the host cannot apply every layer
 *                           of the jail; off by default, because then a program may read the
 *                           host's files or reach its network
 */
public record SandboxConfig(
        Path python,
        int minWorkers,
        int maxWorkers,
        Duration timeout,
        long memoryBytes,
        int maxOutputChars,
        int maxJobsPerWorker,
        long scratchBytes,
        Duration idleBeforeShrink,
        boolean allowWeakIsolation) {

    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    public SandboxConfig {
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(idleBeforeShrink, "idleBeforeShrink");
        requirePositive(minWorkers, "minWorkers");
        requirePositive(maxWorkers, "maxWorkers");
        requirePositive(maxOutputChars, "maxOutputChars");
        requirePositive(maxJobsPerWorker, "maxJobsPerWorker");
        if (minWorkers > maxWorkers) {
            throw new IllegalArgumentException("minWorkers " + minWorkers + " exceeds maxWorkers " + maxWorkers);
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memoryBytes must be positive: " + memoryBytes);
        }
        if (scratchBytes < 4096) {
            throw new IllegalArgumentException("scratchBytes must be at least 4096: " + scratchBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * Debian's python3; between one worker and one per processor; 2 s, 512 MiB, 4096 chars, 1000
     * jobs per worker, 4 MiB of scratch, idle workers retired after 5 s; full isolation required.
     */
    public static SandboxConfig defaults() {
        return new SandboxConfig(DEBIAN_PYTHON, 1, Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(2),
                512L << 20, 4096, 1000, 4L << 20, Duration.ofSeconds(5), false);
    }

    /** A fixed-size pool: as many workers as the minimum and the maximum. */
    public SandboxConfig withWorkers(int workers) {
        return withWorkers(workers, workers);
    }

    /** An elastic pool between {@code min} and {@code max} workers. */
    public SandboxConfig withWorkers(int min, int max) {
        return new SandboxConfig(python, min, max, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker,
                scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withPython(Path python) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withTimeout(Duration timeout) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withMemoryBytes(long memoryBytes) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withMaxOutputChars(int maxOutputChars) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withMaxJobsPerWorker(int maxJobsPerWorker) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withScratchBytes(long scratchBytes) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withIdleBeforeShrink(Duration idleBeforeShrink) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    public SandboxConfig withAllowWeakIsolation(boolean allowWeakIsolation) {
        return new SandboxConfig(python, minWorkers, maxWorkers, timeout, memoryBytes, maxOutputChars,
                maxJobsPerWorker, scratchBytes, idleBeforeShrink, allowWeakIsolation);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
