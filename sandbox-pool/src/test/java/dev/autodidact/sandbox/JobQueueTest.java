package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    private static final int WORKER_A = 1;
    private static final int WORKER_B = 2;

    @Test
    void workersTakeJobsInArrivalOrder() throws InterruptedException {
        JobQueue queue = new JobQueue(2);
        Job first = job(1, ExecResult.NO_WORKER);
        Job second = job(2, ExecResult.NO_WORKER);
        queue.add(first);
        queue.add(second);

        assertThat(queue.take(WORKER_A)).isSameAs(first);
        assertThat(queue.take(WORKER_B)).isSameAs(second);
    }

    @Test
    void aWorkerSkipsJobsThatAvoidIt() throws InterruptedException {
        JobQueue queue = new JobQueue(2);
        Job avoidsA = job(1, WORKER_A);
        Job any = job(2, ExecResult.NO_WORKER);
        queue.add(avoidsA);
        queue.add(any);

        assertThat(queue.take(WORKER_A)).isSameAs(any);
        assertThat(queue.take(WORKER_B)).isSameAs(avoidsA);
    }

    @Test
    void aWaitingWorkerPassesOnAJobThatAvoidsIt() throws Exception {
        JobQueue queue = new JobQueue(2);
        CompletableFuture<Job> takenByA = CompletableFuture.supplyAsync(() -> take(queue, WORKER_A));
        CompletableFuture<Job> takenByB = CompletableFuture.supplyAsync(() -> take(queue, WORKER_B));
        Job avoidsA = job(1, WORKER_A);

        queue.add(avoidsA);

        assertThat(takenByB.get(10, TimeUnit.SECONDS)).isSameAs(avoidsA);
        queue.close();
        assertThat(takenByA.get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aSingleWorkerGetsEveryJob() throws InterruptedException {
        JobQueue queue = new JobQueue(1);
        Job avoidsA = job(1, WORKER_A);
        queue.add(avoidsA);

        assertThat(queue.take(WORKER_A)).isSameAs(avoidsA);
    }

    @Test
    void reissuedJobsGoFirst() throws InterruptedException {
        JobQueue queue = new JobQueue(2);
        Job waiting = job(1, ExecResult.NO_WORKER);
        Job reissued = job(2, ExecResult.NO_WORKER);
        queue.add(waiting);
        queue.addFirst(reissued);

        assertThat(queue.take(WORKER_A)).isSameAs(reissued);
    }

    @Test
    void closingHandsBackPendingJobsAndRefusesNewOnes() throws InterruptedException {
        JobQueue queue = new JobQueue(2);
        Job pending = job(1, ExecResult.NO_WORKER);
        queue.add(pending);

        assertThat(queue.close()).containsExactly(pending);
        assertThat(queue.add(job(2, ExecResult.NO_WORKER))).isFalse();
        assertThat(queue.take(WORKER_A)).isNull();
    }

    private static Job job(long id, int avoidedWorkerId) {
        return new Job(id, new Request(Request.Op.CHECK_LITERAL, Map.of("text", "1")), avoidedWorkerId);
    }

    private static Job take(JobQueue queue, int workerId) {
        try {
            return queue.take(workerId);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
