package dev.autodidact.sandbox;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs untrusted Python in warm, jailed worker processes outside the JVM (see jail.py), one
 * job at a time per worker, each job in a fresh namespace.
 *
 * <p>The pool is elastic: it starts {@link SandboxConfig#minWorkers()} workers, adds one while
 * jobs wait and no worker is idle (up to {@link SandboxConfig#maxWorkers()}, and beyond the
 * processor count only while the CPU has idle time), and retires workers that idled for
 * {@link SandboxConfig#idleBeforeShrink()} down to the minimum. A job whose worker dies is
 * re-issued; a job that broke two workers is answered {@link Status#CRASHED}.
 *
 * <p>Futures complete on the pool's worker threads: callbacks attached with the non-async
 * methods run there and must not block; use an explicit executor for anything slow.
 */
public final class SandboxPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxPool.class);
    /** Larger requests are model output gone wrong; they are refused without a worker. */
    static final int MAX_REQUEST_CHARS = 1 << 20;
    private static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(10);
    private static final Duration SCALING_PERIOD = Duration.ofMillis(100);
    /** Past one worker per processor, grow only while this much of the CPU is idle. */
    private static final double IDLE_CPU_TO_OVERSUBSCRIBE = 0.25;

    /** What the pool is doing now; for metrics and the autoscaler's tests. */
    public record Stats(int workers, int busy, int queued, long completed, long started, long retired) {}

    private final SandboxConfig config;
    private final ExecutorScript script;
    private final ScheduledExecutorService watchdog;
    private final JobQueue queue;
    private final WorkerLauncher launcher;
    private final CpuIdle cpu = new CpuIdle();
    private final int processors = Runtime.getRuntime().availableProcessors();
    private final Set<WorkerSlot> slots = ConcurrentHashMap.newKeySet();
    private final Map<WorkerSlot, Thread> threads = new ConcurrentHashMap<>();
    private final AtomicLong lastJobId = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong slotsStarted = new AtomicLong();
    private final AtomicLong slotsRetired = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Isolation isolation;
    private volatile ScheduledFuture<?> scaling;

    private SandboxPool(SandboxConfig config, ExecutorScript script) {
        this.config = config;
        this.script = script;
        this.watchdog = newWatchdog();
        this.queue = new JobQueue(config.minWorkers());
        this.launcher = new WorkerLauncher(config, script, watchdog);
    }

    /**
     * Starts {@code config.minWorkers()} warm workers in parallel and waits until all are up.
     *
     * @throws IllegalStateException with a one-line reason if the interpreter is missing, a
     *                               worker cannot start, or the host cannot isolate it fully
     *                               and weak isolation was not allowed
     */
    public static SandboxPool start(SandboxConfig config) {
        Objects.requireNonNull(config, "config");
        if (!Files.isExecutable(config.python())) {
            throw new IllegalStateException("Python interpreter not found or not executable: " + config.python()
                    + " (on Debian: apt-get install python3)");
        }
        SandboxPool pool = new SandboxPool(config, ExecutorScript.extract());
        try {
            pool.startMinimum();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        pool.scaling = pool.watchdog.scheduleWithFixedDelay(pool::autoscale, SCALING_PERIOD.toMillis(), SCALING_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
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

    /** Workers running now (between the configured minimum and maximum). */
    public int size() {
        return slots.size();
    }

    public SandboxConfig config() {
        return config;
    }

    public Stats stats() {
        int busy = (int) slots.stream().filter(WorkerSlot::busy).count();
        return new Stats(slots.size(), busy, queue.size(), completed.get(), slotsStarted.get(), slotsRetired.get());
    }

    /** The isolation the workers reached; a weak one if any worker's was weak. */
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
        if (scaling != null) {
            scaling.cancel(false);
        }
        List<Job> abandoned = queue.close();
        abandoned.forEach(job -> job.fail(new IllegalStateException("sandbox pool closed")));
        List<WorkerSlot> stopping = new ArrayList<>(threads.keySet());
        stopping.forEach(WorkerSlot::stop);
        for (WorkerSlot slot : stopping) {
            Thread thread = threads.get(slot);
            // A callback on a worker thread may close the pool; that thread cannot wait for itself.
            if (thread != null && thread != Thread.currentThread()) {
                awaitExit(thread);
            }
        }
        watchdog.shutdownNow();
        script.close();
        log.info("Sandbox pool closed ({} jobs submitted, {} abandoned)", lastJobId.get(), abandoned.size());
    }

    private void startMinimum() {
        List<WorkerSlot> first = new ArrayList<>();
        for (int i = 0; i < config.minWorkers(); i++) {
            first.add(addSlot());
        }
        for (WorkerSlot slot : first) {
            try {
                noteIsolation(slot.started().join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (isolation.complete()) {
            log.info("Sandbox pool started: {} to {} workers, isolation: {}", config.minWorkers(), config.maxWorkers(),
                    isolation.describe());
        } else {
            log.warn("Sandbox pool started with WEAK isolation, as allowed: {}", isolation.describe());
        }
    }

    private synchronized WorkerSlot addSlot() {
        WorkerSlot slot = new WorkerSlot(queue, launcher, config, new Retirement());
        Thread thread = new Thread(slot, "sandbox-worker-" + slotsStarted.incrementAndGet());
        thread.setDaemon(true);
        slots.add(slot);
        threads.put(slot, thread);
        queue.setTakers(slots.size());
        thread.start();
        return slot;
    }

    private void noteIsolation(Isolation reached) {
        if (isolation == null || (isolation.complete() && !reached.complete())) {
            isolation = reached;
        }
    }

    /** Grows by one worker when jobs wait for a busy pool and the machine has room. */
    private void autoscale() {
        try {
            double idleCpu = cpu.sinceLastCall();
            if (closed.get()) {
                return;
            }
            int workers = slots.size();
            long idleWorkers = slots.stream().filter(slot -> !slot.busy()).count();
            if (ElasticPolicy.shouldGrow(queue.size(), idleWorkers, workers, config.maxWorkers(), processors, idleCpu,
                    IDLE_CPU_TO_OVERSUBSCRIBE)) {
                WorkerSlot slot = addSlot();
                slot.started().whenComplete((reached, failure) -> {
                    if (failure != null) {
                        log.warn("Could not add a sandbox worker: {}", failure.getMessage());
                    } else {
                        noteIsolation(reached);
                        log.debug("Sandbox pool grew to {} workers ({} jobs waiting)", slots.size(), queue.size());
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Sandbox autoscaler failed once: {}", e.toString());
        }
    }

    /** The pool's side of a slot's life: may it retire, and it has ended. */
    private final class Retirement implements WorkerSlot.Retirement {

        @Override
        public boolean mayRetire(WorkerSlot slot) {
            synchronized (SandboxPool.this) {
                if (slots.size() <= config.minWorkers() || queue.size() > 0) {
                    return false;
                }
                slots.remove(slot);
                queue.setTakers(slots.size());
                slotsRetired.incrementAndGet();
                log.debug("Sandbox pool shrank to {} workers", slots.size());
                return true;
            }
        }

        @Override
        public void ended(WorkerSlot slot) {
            synchronized (SandboxPool.this) {
                slots.remove(slot);
                threads.remove(slot);
                queue.setTakers(Math.max(1, slots.size()));
            }
        }

        @Override
        public void completed(ExecResult result) {
            completed.incrementAndGet();
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
