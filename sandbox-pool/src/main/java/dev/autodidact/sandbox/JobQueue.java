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
    private volatile int takers = 1;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private boolean closed;

    JobQueue(int takers) {
        setTakers(takers);
    }

    /** The elastic pool tells the queue how many workers take from it now. */
    void setTakers(int takers) {
        this.takers = Math.max(1, takers);
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

    /**
     * Like {@link #take(int, long)}, then as many more jobs as make this worker's fair share of
     * the backlog (at most {@code max}), so that one frame carries several jobs. A job that must
     * run alone is taken only by itself.
     */
    List<Job> takeBatch(int workerId, int max, long maxWaitNanos) throws InterruptedException {
        Job first = take(workerId, maxWaitNanos);
        if (first == null) {
            return List.of();
        }
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        if (first.alone()) {
            return batch;
        }
        lock.lock();
        try {
            int share = Math.min(max, Math.max(1, (jobs.size() + 1 + takers - 1) / takers));
            for (Iterator<Job> it = jobs.iterator(); it.hasNext() && batch.size() < share; ) {
                Job job = it.next();
                if (!job.alone() && (singleTaker || !job.avoids(workerId))) {
                    it.remove();
                    batch.add(job);
                }
            }
        } finally {
            lock.unlock();
        }
        return batch;
    }

    /** Puts jobs back at the head of the queue, in their order. */
    boolean addAllFirst(List<Job> returned) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            for (int i = returned.size() - 1; i >= 0; i--) {
                jobs.addFirst(returned.get(i));
            }
            changed.signalAll();
            return true;
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
