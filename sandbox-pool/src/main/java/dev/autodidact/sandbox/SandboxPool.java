package dev.autodidact.sandbox;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs untrusted Python in warm worker processes outside the JVM, one job at a time per
 * worker, each job in a fresh namespace.
 *
 * <p>Futures complete on the pool's worker threads: callbacks attached with the non-async
 * methods run there and must not block; use an explicit executor for anything slow.
 */
public final class SandboxPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxPool.class);
    /** Larger requests are model output gone wrong; they are refused without a worker. */
    static final int MAX_REQUEST_CHARS = 1 << 20;
    private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(10);

    private final SandboxConfig config;
    private final ExecutorScript script;
    private final ScheduledExecutorService watchdog;
    private final JobQueue queue;
    private final List<WorkerSlot> slots = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong lastJobId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Isolation isolation;

    private SandboxPool(SandboxConfig config, ExecutorScript script) {
        this.config = config;
        this.script = script;
        this.watchdog = newWatchdog();
        this.queue = new JobQueue(config.workers());
        WorkerLauncher launcher = new WorkerLauncher(config, script, watchdog);
        for (int i = 0; i < config.workers(); i++) {
            WorkerSlot slot = new WorkerSlot(queue, launcher, config);
            Thread thread = new Thread(slot, "sandbox-worker-" + i);
            thread.setDaemon(true);
            slots.add(slot);
            threads.add(thread);
        }
    }

    /**
     * Starts {@code config.workers()} warm workers in parallel and waits until all are up.
     *
     * @throws IllegalStateException with a one-line reason if the interpreter is missing or a
     *                               worker cannot start
     */
    public static SandboxPool start(SandboxConfig config) {
        Objects.requireNonNull(config, "config");
        if (!Files.isExecutable(config.python())) {
            throw new IllegalStateException("Python interpreter not found or not executable: " + config.python());
        }
        SandboxPool pool = new SandboxPool(config, ExecutorScript.extract());
        try {
            pool.startWorkers();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /** exec {@code code} in a fresh namespace, then eval {@code expression} in it; result = repr(value). */
    public CompletableFuture<ExecResult> evaluate(String code, String expression) {
        return submit(Request.evaluate(code, expression), ExecResult.NO_WORKER);
    }

    /** {@code evaluate(code, "f(" + argsSource + ")")}. */
    public CompletableFuture<ExecResult> call(String code, String argsSource) {
        return evaluate(code, Request.callExpression(argsSource));
    }

    /** Like {@link #evaluate}, on a worker process other than {@code workerId}: for determinism re-runs. */
    public CompletableFuture<ExecResult> evaluateAvoiding(int workerId, String code, String expression) {
        return submit(Request.evaluate(code, expression), workerId);
    }

    public int size() {
        return config.workers();
    }

    /** The isolation the workers reached; the weakest if they differ. */
    public Isolation isolation() {
        return isolation;
    }

    CompletableFuture<ExecResult> submit(Request request) {
        return submit(request, ExecResult.NO_WORKER);
    }

    CompletableFuture<ExecResult> submit(Request request, int avoidedWorkerId) {
        if (request.textChars() > MAX_REQUEST_CHARS) {
            return CompletableFuture.completedFuture(ExecResult.failure(Status.REJECTED,
                    "request too large: " + request.textChars() + " chars", 0, ExecResult.NO_WORKER));
        }
        Job job = new Job(lastJobId.incrementAndGet(), request, avoidedWorkerId);
        if (!queue.add(job)) {
            job.fail(new IllegalStateException("sandbox pool closed"));
        }
        return job.future();
    }

    /** Kills every worker process and fails the jobs that did not run; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Job> abandoned = queue.close();
        abandoned.forEach(job -> job.fail(new IllegalStateException("sandbox pool closed")));
        slots.forEach(WorkerSlot::stop);
        for (Thread thread : threads) {
            // A callback on a worker thread may close the pool; that thread cannot wait for itself.
            if (thread != Thread.currentThread()) {
                awaitExit(thread);
            }
        }
        watchdog.shutdownNow();
        script.close();
        log.info("Sandbox pool closed ({} jobs submitted, {} abandoned)", lastJobId.get(), abandoned.size());
    }

    private void startWorkers() {
        threads.forEach(Thread::start);
        EnumSet<Isolation> reached = EnumSet.noneOf(Isolation.class);
        for (WorkerSlot slot : slots) {
            try {
                reached.add(slot.started().join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        // EnumSet iterates in declaration order, strongest first: the last one is the weakest.
        isolation = reached.stream().reduce((strongest, next) -> next).orElseThrow();
        if (isolation == Isolation.UNPRIVILEGED_USER) {
            log.info("Sandbox pool started: {} workers, isolation {}", slots.size(), isolation);
        } else {
            log.warn("Sandbox pool started: {} workers with weak isolation {} (the JVM is not root)",
                    slots.size(), isolation);
        }
    }

    private static void awaitExit(Thread thread) {
        try {
            thread.join(THREAD_EXIT_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{} did not stop within {}", thread.getName(), THREAD_EXIT_WAIT);
        }
    }

    private static ScheduledExecutorService newWatchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        // Almost every deadline is cancelled; keeping them queued until expiry would pile up.
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }
}
