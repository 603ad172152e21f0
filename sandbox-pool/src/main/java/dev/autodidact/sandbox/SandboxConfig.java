package dev.autodidact.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SandboxPool}.
 *
 * @param python           interpreter of the workers; Debian's, because the one first on PATH
 *                         may live where an unprivileged uid cannot read it
 * @param workers          number of warm worker processes
 * @param timeout          wall-clock limit of one job, enforced by killing the worker
 * @param memoryBytes      address-space limit of a worker process (RLIMIT_AS)
 * @param maxOutputChars   cap on printed output and on the value's repr
 * @param maxJobsPerWorker jobs a worker serves before it is replaced, bounding leaked state
 */
public record SandboxConfig(
        Path python, int workers, Duration timeout, long memoryBytes, int maxOutputChars, int maxJobsPerWorker) {

    public static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    public SandboxConfig {
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(timeout, "timeout");
        requirePositive(workers, "workers");
        requirePositive(maxOutputChars, "maxOutputChars");
        requirePositive(maxJobsPerWorker, "maxJobsPerWorker");
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("memoryBytes must be positive: " + memoryBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** Debian's python3, one worker per processor, 2 s, 512 MiB, 4096 chars, 100 jobs per worker. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(
                DEBIAN_PYTHON, Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(2), 512L << 20, 4096, 100);
    }

    public SandboxConfig withPython(Path python) {
        return new SandboxConfig(python, workers, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker);
    }

    public SandboxConfig withWorkers(int workers) {
        return new SandboxConfig(python, workers, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker);
    }

    public SandboxConfig withTimeout(Duration timeout) {
        return new SandboxConfig(python, workers, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker);
    }

    public SandboxConfig withMemoryBytes(long memoryBytes) {
        return new SandboxConfig(python, workers, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker);
    }

    public SandboxConfig withMaxOutputChars(int maxOutputChars) {
        return new SandboxConfig(python, workers, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker);
    }

    public SandboxConfig withMaxJobsPerWorker(int maxJobsPerWorker) {
        return new SandboxConfig(python, workers, timeout, memoryBytes, maxOutputChars, maxJobsPerWorker);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
