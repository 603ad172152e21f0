package dev.autodidact.sandbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread and the executor process it drives. It runs jobs from the shared queue
 * and replaces its process after a fixed number of jobs, after any result that may have
 * left the interpreter in a bad state, and whenever the channel breaks. When it has idled
 * long enough it asks the pool whether it may retire (the pool shrinks to its minimum).
 */
final class WorkerSlot implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerSlot.class);
    /** A job is re-issued once; breaking a second worker marks it as the cause. */
    private static final int BROKEN_WORKERS_BEFORE_CRASHED = 2;

    private final JobQueue queue;
    private final WorkerLauncher launcher;
    private final Duration timeout;
    private final int maxJobsPerWorker;
    private final long idleBeforeShrinkNanos;
    private final Retirement retirement;
    private final CompletableFuture<Isolation> started = new CompletableFuture<>();
    private volatile WorkerProcess worker;
    private volatile boolean stopping;
    private volatile boolean busy;
    private int jobsOnWorker;

    /** The pool's say on whether an idle slot may end, and its notice that one did. */
    interface Retirement {
        boolean mayRetire(WorkerSlot slot);

        void ended(WorkerSlot slot);

        void completed(ExecResult result);
    }

    WorkerSlot(JobQueue queue, WorkerLauncher launcher, SandboxConfig config, Retirement retirement) {
        this.queue = queue;
        this.launcher = launcher;
        this.timeout = config.timeout();
        this.maxJobsPerWorker = config.maxJobsPerWorker();
        this.idleBeforeShrinkNanos = config.idleBeforeShrink().toNanos();
        this.retirement = retirement;
    }

    /** Running a job now (or starting its process): the autoscaler counts it as not idle. */
    boolean busy() {
        return busy || !started.isDone();
    }

    /** Completes once the first process is up, with the isolation it reached. */
    CompletableFuture<Isolation> started() {
        return started;
    }

    /** Makes the slot wind down: the running job's process dies now, the thread soon after. */
    void stop() {
        stopping = true;
        WorkerProcess current = worker;
        if (current != null) {
            current.kill();
        }
    }

    // The process is started from this long-lived thread on purpose: the executor's
    // parent-death signal fires when the thread that spawned it ends.
    @Override
    public void run() {
        try {
            try {
                started.complete(launch());
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            try {
                serveUntilRetired();
            } finally {
                retire();
            }
        } finally {
            retirement.ended(this);
        }
    }

    private void serveUntilRetired() {
        while (!stopping) {
            WorkerProcess current = worker;
            Job job;
            try {
                job = queue.take(current == null ? ExecResult.NO_WORKER : current.id(), idleBeforeShrinkNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (job != null) {
                busy = true;
                try {
                    execute(job);
                } finally {
                    busy = false;
                }
            } else if (queue.isClosed() || retirement.mayRetire(this)) {
                return;
            }
        }
    }

    private void execute(Job job) {
        if (worker == null || job.avoids(worker.id())) {
            replace();
        }
        WorkerProcess current = worker;
        if (current == null) {
            job.complete(ExecResult.failure(Status.CRASHED, "no sandbox worker could be started", 0, ExecResult.NO_WORKER));
            return;
        }
        WorkerProcess.Outcome outcome = current.exchange(job.id(), job.request(), timeout);
        jobsOnWorker++;
        if (outcome instanceof WorkerProcess.Replied replied) {
            complete(job, replied.result());
            if (replied.dirty() != null) {
                log.debug("Worker {} replaced: the program changed its interpreter ({})", current.id(), replied.dirty());
            }
            if (replied.dirty() != null || !leavesWorkerClean(job.request(), replied.result())
                    || jobsOnWorker >= maxJobsPerWorker) {
                replace();
            }
        } else if (outcome instanceof WorkerProcess.TimedOut timedOut) {
            complete(job, ExecResult.failure(
                    Status.TIMEOUT, "no reply within " + timeout.toMillis() + " ms", timedOut.wallMillis(), current.id()));
            replace();
        } else if (outcome instanceof WorkerProcess.Broken broken) {
            // Re-issued before the slow replacement, so an idle worker can take it meanwhile.
            reissueOrCrash(job, current, broken.reason());
            replace();
        }
    }

    private void complete(Job job, ExecResult result) {
        job.complete(result);
        retirement.completed(result);
    }

    /** Checks only parse their input, so their rejections say nothing about the interpreter. */
    private static boolean leavesWorkerClean(Request request, ExecResult result) {
        return result.ok() || (result.status() == Status.REJECTED && !request.runsProgram());
    }

    private void reissueOrCrash(Job job, WorkerProcess broken, String reason) {
        if (stopping) {
            job.fail(new IllegalStateException("sandbox pool closed"));
            return;
        }
        int brokenWorkers = job.brokeWorker(broken.id());
        if (brokenWorkers >= BROKEN_WORKERS_BEFORE_CRASHED) {
            log.warn("Job {} broke {} workers, last {}: {}", job.id(), brokenWorkers, broken.id(), reason);
            complete(job, ExecResult.failure(Status.CRASHED, reason, 0, broken.id()));
        } else if (!queue.addFirst(job)) {
            job.fail(new IllegalStateException("sandbox pool closed"));
        } else {
            log.info("Worker {} broke ({}); job {} re-issued on another worker", broken.id(), reason, job.id());
        }
    }

    private void replace() {
        retire();
        jobsOnWorker = 0;
        if (stopping) {
            return;
        }
        try {
            launch();
        } catch (RuntimeException e) {
            log.error("Cannot replace a sandbox worker: {}", e.getMessage());
        }
    }

    private Isolation launch() {
        WorkerLauncher.StartedWorker launched = launcher.launch();
        worker = launched.process();
        return launched.isolation();
    }

    private void retire() {
        WorkerProcess old = worker;
        worker = null;
        if (old != null) {
            old.close();
        }
    }
}
