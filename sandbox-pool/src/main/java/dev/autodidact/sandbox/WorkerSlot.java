package dev.autodidact.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** Jobs sent in one frame at most: the executor's per-batch checks are paid once for all. */
    static final int MAX_BATCH = 16;

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
            List<Job> batch;
            try {
                batch = queue.takeBatch(current == null ? ExecResult.NO_WORKER : current.id(), MAX_BATCH,
                        idleBeforeShrinkNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!batch.isEmpty()) {
                busy = true;
                try {
                    execute(batch);
                } finally {
                    busy = false;
                }
            } else if (queue.isClosed() || retirement.mayRetire(this)) {
                return;
            }
        }
    }

    /**
     * Runs a batch in one frame. The executor stops after the first job that is not ok; the
     * jobs it did not reach go back to the queue. When a batch goes wrong as a whole (a
     * program changed the interpreter, the worker died or overran), the jobs whose results
     * it cannot vouch for run again, each alone, so that the cause is found and answered
     * exactly as if it had never been batched.
     */
    private void execute(List<Job> batch) {
        if (worker == null || batch.get(0).avoids(worker.id())) {
            replace();
        }
        WorkerProcess current = worker;
        if (current == null) {
            batch.forEach(job -> complete(job,
                    ExecResult.failure(Status.CRASHED, "no sandbox worker could be started", 0, ExecResult.NO_WORKER)));
            return;
        }
        List<WireFormat.Numbered> numbered = batch.stream().map(job -> new WireFormat.Numbered(job.id(), job.request()))
                .toList();
        WorkerProcess.Outcome outcome = current.exchange(numbered, timeout);
        jobsOnWorker += batch.size();
        if (outcome instanceof WorkerProcess.Replied replied) {
            List<ExecResult> results = replied.results();
            int trusted = replied.dirty() == null ? results.size() : 1;
            for (int i = 0; i < trusted; i++) {
                complete(batch.get(i), results.get(i));
            }
            List<Job> again = new ArrayList<>();
            for (int i = trusted; i < results.size(); i++) {
                batch.get(i).runAlone();
                again.add(batch.get(i));
            }
            again.addAll(batch.subList(results.size(), batch.size()));
            requeue(again);
            if (replied.dirty() != null) {
                log.debug("Worker {} replaced: a program changed its interpreter ({})", current.id(), replied.dirty());
            }
            ExecResult last = results.get(results.size() - 1);
            if (replied.dirty() != null || !leavesWorkerClean(batch.get(results.size() - 1).request(), last)
                    || jobsOnWorker >= maxJobsPerWorker) {
                replace();
            }
        } else if (batch.size() > 1) {
            // Which job overran or killed the worker is unknown: each runs again alone.
            batch.forEach(Job::runAlone);
            requeue(batch);
            replace();
        } else if (outcome instanceof WorkerProcess.TimedOut timedOut) {
            complete(batch.get(0), ExecResult.failure(
                    Status.TIMEOUT, "no reply within " + timeout.toMillis() + " ms", timedOut.wallMillis(), current.id()));
            replace();
        } else if (outcome instanceof WorkerProcess.Broken broken) {
            // Re-issued before the slow replacement, so an idle worker can take it meanwhile.
            reissueOrCrash(batch.get(0), current, broken.reason());
            replace();
        }
    }

    private void requeue(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        if (stopping || !queue.addAllFirst(jobs)) {
            jobs.forEach(job -> job.fail(new IllegalStateException("sandbox pool closed")));
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
