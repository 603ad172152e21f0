package dev.autodidact.sandbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread and the executor process it drives. It runs jobs from the shared queue
 * and replaces its process after a fixed number of jobs, after any result that may have
 * left the interpreter in a bad state, and whenever the channel breaks.
 */
final class WorkerSlot implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerSlot.class);
    /** A job is re-issued once; breaking a second worker marks it as the cause. */
    private static final int BROKEN_WORKERS_BEFORE_CRASHED = 2;

    private final JobQueue queue;
    private final WorkerLauncher launcher;
    private final Duration timeout;
    private final int maxJobsPerWorker;
    private final CompletableFuture<Isolation> started = new CompletableFuture<>();
    private volatile WorkerProcess worker;
    private volatile boolean stopping;
    private int jobsOnWorker;

    WorkerSlot(JobQueue queue, WorkerLauncher launcher, SandboxConfig config) {
        this.queue = queue;
        this.launcher = launcher;
        this.timeout = config.timeout();
        this.maxJobsPerWorker = config.maxJobsPerWorker();
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
            started.complete(launch());
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            return;
        }
        try {
            Job job;
            while ((job = takeJob()) != null) {
                execute(job);
            }
        } finally {
            retire();
        }
    }

    private Job takeJob() {
        WorkerProcess current = worker;
        try {
            return queue.take(current == null ? ExecResult.NO_WORKER : current.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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
            job.complete(replied.result());
            if (!leavesWorkerClean(job.request(), replied.result()) || jobsOnWorker >= maxJobsPerWorker) {
                replace();
            }
        } else if (outcome instanceof WorkerProcess.TimedOut timedOut) {
            job.complete(ExecResult.failure(
                    Status.TIMEOUT, "no reply within " + timeout.toMillis() + " ms", timedOut.wallMillis(), current.id()));
            replace();
        } else if (outcome instanceof WorkerProcess.Broken broken) {
            // Re-issued before the slow replacement, so an idle worker can take it meanwhile.
            reissueOrCrash(job, current, broken.reason());
            replace();
        }
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
            job.complete(ExecResult.failure(Status.CRASHED, reason, 0, broken.id()));
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
