package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkerFailureIT {

    private static final String BUSY_PROGRAM = lines(
            "def f(x):",
            "    total = 0",
            "    for i in range(20000):",
            "        total += i % 7",
            "    return total * x");
    private static final long BUSY_TOTAL = IntStream.range(0, 20000).map(i -> i % 7).sum();

    @Test
    void killingWorkersFromOutsideLosesNoJob() throws InterruptedException {
        Set<ProcessHandle> before = Sandboxes.executorProcesses();
        try (SandboxPool pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(2))) {
            Set<ProcessHandle> workers = startedSince(before);
            List<CompletableFuture<ExecResult>> jobs = IntStream.range(0, 200)
                    .mapToObj(i -> pool.call(BUSY_PROGRAM, String.valueOf(i)))
                    .toList();
            awaitCompleted(jobs, 20);

            workers.forEach(ProcessHandle::destroyForcibly);

            for (int i = 0; i < jobs.size(); i++) {
                ExecResult result = await(jobs.get(i));
                assertThat(result.status()).as("job %d: %s", i, result.error()).isEqualTo(Status.OK);
                assertThat(result.result()).isEqualTo(String.valueOf(BUSY_TOTAL * i));
            }
            // Killed from outside, a worker's jailed children die with it; the host's init reaps them.
            Sandboxes.awaitGone(workers);
        }
    }

    @Test
    void closeLeavesNoWorkerProcessBehind() {
        Set<ProcessHandle> before = Sandboxes.executorProcesses();
        SandboxPool pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(3).withMaxJobsPerWorker(2));
        List<CompletableFuture<ExecResult>> jobs = IntStream.range(0, 20)
                .mapToObj(i -> pool.evaluate("", i % 5 == 0 ? "1 / 0" : "1"))
                .toList();
        jobs.forEach(Sandboxes::await);
        CompletableFuture<ExecResult> stuck = pool.evaluate("while True:\n    pass\n", "1");
        // Some workers may be in the middle of being replaced: fewer than three can be running.
        Set<ProcessHandle> started = startedSince(before);
        assertThat(started).isNotEmpty();

        pool.close();

        assertThat(started).noneMatch(ProcessHandle::isAlive);
        assertThat(startedSince(before)).isEmpty();
        assertThat(ProcessHandle.current().descendants()).isEmpty();
        assertThat(stuck).isDone();
        assertThat(pool.evaluate("", "1")).isCompletedExceptionally();
    }

    private static Set<ProcessHandle> startedSince(Set<ProcessHandle> before) {
        Set<ProcessHandle> started = new HashSet<>(Sandboxes.executorProcesses());
        started.removeAll(before);
        return started;
    }

    private static void awaitCompleted(List<CompletableFuture<ExecResult>> jobs, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Sandboxes.WAIT_SECONDS);
        while (jobs.stream().filter(CompletableFuture::isDone).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }
}
