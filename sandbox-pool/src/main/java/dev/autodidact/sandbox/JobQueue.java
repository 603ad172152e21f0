package dev.autodidact.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's shared queue. A worker takes the oldest job that does not avoid its process, so
 * determinism re-runs land on another process. With a single taker nothing can be skipped:
 * it gets every job and replaces its process itself when the job avoids it.
 */
final class JobQueue {

    private volatile boolean singleTaker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private boolean closed;

    JobQueue(int takers) {
        setTakers(takers);
    }

    /** The elastic pool tells the queue how many workers take from it now. */
    void setTakers(int takers) {
        singleTaker = takers == 1;
    }

    /** Jobs waiting for a worker. */
    int size() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Appends a job; false if the queue is closed. */
    boolean add(Job job) {
        return insert(job, false);
    }

    /** Puts a re-issued job first, so a retry does not wait behind the whole backlog. */
    boolean addFirst(Job job) {
        return insert(job, true);
    }

    /** Blocks for a job this worker may run; null once the queue is closed. */
    Job take(int workerId) throws InterruptedException {
        return take(workerId, Long.MAX_VALUE);
    }

    /** Like {@link #take(int)}, but also null after waiting {@code maxWaitNanos} for a job. */
    Job take(int workerId, long maxWaitNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = maxWaitNanos;
            while (!closed) {
                Job job = removeFirstRunnable(workerId);
                if (job != null) {
                    return job;
                }
                if (!jobs.isEmpty()) {
                    // Every waiting job avoids this worker: hand the wake-up to another one.
                    changed.signal();
                }
                if (maxWaitNanos == Long.MAX_VALUE) {
                    changed.await();
                } else if (remaining <= 0) {
                    return null;
                } else {
                    remaining = changed.awaitNanos(remaining);
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the queue and returns the jobs nobody will run. */
    List<Job> close() {
        lock.lock();
        try {
            closed = true;
            List<Job> abandoned = new ArrayList<>(jobs);
            jobs.clear();
            changed.signalAll();
            return abandoned;
        } finally {
            lock.unlock();
        }
    }

    private boolean insert(Job job, boolean first) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (first) {
                jobs.addFirst(job);
            } else {
                jobs.addLast(job);
            }
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private Job removeFirstRunnable(int workerId) {
        for (Iterator<Job> it = jobs.iterator(); it.hasNext(); ) {
            Job job = it.next();
            if (singleTaker || !job.avoids(workerId)) {
                it.remove();
                return job;
            }
        }
        return null;
    }
}
