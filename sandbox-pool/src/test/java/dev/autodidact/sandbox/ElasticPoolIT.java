package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pool follows its queue: it grows under a backlog and shrinks back when idle. */
class ElasticPoolIT {

    @Test
    void growsUnderABacklogAndShrinksToItsMinimumWhenIdle() throws InterruptedException {
        SandboxConfig config = SandboxConfig.defaults().withWorkers(1, 3).withIdleBeforeShrink(Duration.ofMillis(300));
        try (SandboxPool pool = SandboxPool.start(config)) {
            assertThat(pool.size()).isEqualTo(1);
            // Jobs that wait rather than compute leave the CPU idle, so the pool may pass the
            // processor count; on any machine it reaches at least min(3, processors).
            List<CompletableFuture<ExecResult>> jobs = IntStream.range(0, 60)
                    .mapToObj(i -> pool.evaluate("import time\ntime.sleep(0.05)", String.valueOf(i)))
                    .toList();
            int largest = 1;
            while (!jobs.stream().allMatch(CompletableFuture::isDone)) {
                largest = Math.max(largest, pool.size());
                Thread.sleep(10);
            }
            for (int i = 0; i < jobs.size(); i++) {
                assertThat(await(jobs.get(i)).result()).isEqualTo(String.valueOf(i));
            }
            assertThat(largest).isGreaterThanOrEqualTo(Math.min(3, Runtime.getRuntime().availableProcessors()));

            long deadline = System.nanoTime() + Duration.ofSeconds(Sandboxes.WAIT_SECONDS).toNanos();
            while (pool.size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(pool.size()).isEqualTo(1);
            assertThat(pool.stats().retired()).isGreaterThanOrEqualTo(1);
            assertThat(await(pool.evaluate("", "6 * 7")).result()).isEqualTo("42");
        }
    }
}
