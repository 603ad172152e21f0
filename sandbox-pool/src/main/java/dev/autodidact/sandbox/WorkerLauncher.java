package dev.autodidact.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts executor processes. The executor jails itself (jail.py) before its first frame, so
 * the command is plain Python started with a minimal environment.
 */
final class WorkerLauncher {

    /** All a worker inherits: a fixed hash seed keeps set and dict order equal across workers. */
    static final Map<String, String> ENVIRONMENT =
            Map.of("PYTHONHASHSEED", "0", "LANG", "C.UTF-8", "PATH", "/usr/bin:/bin");

    // A fresh interpreter costs ~40 ms of CPU; under load the first frame can take seconds.
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int STDERR_CHARS = 2000;
    // Room for the capped stdout and repr, each possibly \\u-escaped at 6 bytes a char.
    private static final int REPLY_OVERHEAD_BYTES = 64 << 10;
    private static final int ESCAPED_BYTES_PER_CHAR = 6;

    private final SandboxConfig config;
    private final ExecutorScript script;
    private final ScheduledExecutorService watchdog;
    private final AtomicInteger lastWorkerId = new AtomicInteger();

    WorkerLauncher(SandboxConfig config, ExecutorScript script, ScheduledExecutorService watchdog) {
        this.config = config;
        this.script = script;
        this.watchdog = watchdog;
    }

    /** Starts a worker and waits until it has isolated itself; IllegalStateException if it cannot. */
    StartedWorker launch() {
        Process process = startProcess();
        FrameChannel channel = new FrameChannel(process.getOutputStream(), process.getInputStream(), maxReplyBytes());
        WorkerProcess worker = new WorkerProcess(lastWorkerId.incrementAndGet(), process, channel, watchdog);
        WireFormat.Hello hello;
        try {
            hello = worker.awaitHello(STARTUP_TIMEOUT);
        } catch (IOException e) {
            worker.close();
            throw new IllegalStateException("sandbox worker did not start: " + stderrOrElse(process, e.getMessage()));
        }
        if (!hello.ready()) {
            worker.close();
            throw new IllegalStateException("sandbox isolation is not available on this host (" + hello.error()
                    + "); see `autodidact sandbox check-host`, or accept the risk that generated programs read"
                    + " this host's files and network with --allow-weak-sandbox-isolation");
        }
        closeStderr(process);
        return new StartedWorker(worker, Isolation.fromHello(hello.isolation()));
    }

    record StartedWorker(WorkerProcess process, Isolation isolation) {}

    List<String> command() {
        return List.of(
                config.python().toString(), "-S", "-s", "-B", script.file().toString(),
                "memory_bytes=" + config.memoryBytes(),
                "cpu_seconds=" + cpuSecondsPerWorker(),
                "max_output_chars=" + config.maxOutputChars(),
                "scratch_bytes=" + config.scratchBytes(),
                "allow_weak=" + (config.allowWeakIsolation() ? 1 : 0));
    }

    /**
     * The kernel's CPU limit is a backstop for when the JVM's wall-clock kill cannot happen:
     * a worker can legitimately use the whole timeout on each of its jobs.
     */
    private long cpuSecondsPerWorker() {
        long perJob = Math.max(1, (config.timeout().toMillis() + 999) / 1000);
        return perJob * (config.maxJobsPerWorker() + 1L) + 10;
    }

    private int maxReplyBytes() {
        long bytes = REPLY_OVERHEAD_BYTES + 2L * ESCAPED_BYTES_PER_CHAR * config.maxOutputChars();
        return (int) Math.min(Integer.MAX_VALUE - 8, bytes);
    }

    private Process startProcess() {
        ProcessBuilder builder = new ProcessBuilder(command()).directory(script.directory().toFile());
        builder.environment().clear();
        builder.environment().putAll(ENVIRONMENT);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + config.python() + ": " + e.getMessage());
        }
    }

    /** The interpreter's own complaint (a traceback's last line) explains a failed start best. */
    private static String stderrOrElse(Process process, String fallback) {
        try (InputStream stderr = process.getErrorStream()) {
            String text = new String(stderr.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return fallback;
            }
            String lastLine = text.substring(text.lastIndexOf('\n') + 1);
            return lastLine.length() > STDERR_CHARS ? lastLine.substring(0, STDERR_CHARS) : lastLine;
        } catch (IOException e) {
            return fallback;
        }
    }

    private static void closeStderr(Process process) {
        try {
            process.getErrorStream().close();
        } catch (IOException ignored) {
            // The executor has already pointed its stderr at /dev/null.
        }
    }
}
