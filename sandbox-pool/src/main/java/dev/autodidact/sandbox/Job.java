package dev.autodidact.sandbox;

import java.util.concurrent.CompletableFuture;

/** A request waiting for, or running on, a worker; re-issued at most once after a broken worker. */
final class Job {

    private final long id;
    private final Request request;
    private final CompletableFuture<ExecResult> future = new CompletableFuture<>();
    private int avoidedWorkerId;
    private int brokenWorkers;
    private volatile boolean alone;

    Job(long id, Request request, int avoidedWorkerId) {
        this.id = id;
        this.request = request;
        this.avoidedWorkerId = avoidedWorkerId;
    }

    long id() {
        return id;
    }

    Request request() {
        return request;
    }

    CompletableFuture<ExecResult> future() {
        return future;
    }

    boolean avoids(int workerId) {
        return workerId != ExecResult.NO_WORKER && workerId == avoidedWorkerId;
    }

    /** Notes that the job's worker broke; returns how many workers broke under this job. */
    int brokeWorker(int workerId) {
        avoidedWorkerId = workerId;
        return ++brokenWorkers;
    }

    /** True once the job was in a batch that went wrong: it then runs by itself, to find the cause. */
    boolean alone() {
        return alone;
    }

    void runAlone() {
        alone = true;
    }

    void complete(ExecResult result) {
        future.complete(result);
    }

    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
