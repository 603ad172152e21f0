package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.NOBODY;
import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Killing worker processes from outside during a batch loses no job: a killed worker's job is
 * re-issued and answered right. A worker may be a small tree of processes (a jail around the
 * interpreter); any process of the tree is fair game.
 *
 * <p>A job only counts as CRASHED once two of its workers died under it. The killer therefore
 * never strikes twice while the same job may be running: after each kill it waits until every
 * job that could have been running then (the oldest unfinished ones, one more than there are
 * workers, since a re-issued job goes first) has finished. So any CRASHED job here is a job the
 * pool lost, and the test asserts that there is none.
 */
class OutsideKillIT {

    private static final int WORKERS = 2;
    private static final int JOBS = 300;
    /** Old enough not to be a worker still being started: only running workers are killed. */
    private static final Duration MIN_VICTIM_AGE = Duration.ofMillis(400);
    private static final int MIN_KILLS = 5;
    private static final String PROGRAM = lines(
            "import time",
            "def f(i):",
            "    if i % 3 == 0:",
            "        time.sleep(0.03)",
            "    total = 0",
            "    for k in range(2000):",
            "        total += k % 11",
            "    return i * i + total");
    private static final long TOTAL = IntStream.range(0, 2000).map(k -> k % 11).sum();

    @Test
    void killingWorkerProcessesFromOutsideDuringABatchLosesNoJob() throws InterruptedException {
        Set<Long> orphansBefore = Sandboxes.newOrphansOf(NOBODY, Set.of()).stream()
                .map(Sandboxes.ProcInfo::pid).collect(Collectors.toSet());
        SandboxPool pool = SandboxPool.start(SandboxConfig.defaults()
                .withWorkers(WORKERS).withTimeout(Duration.ofSeconds(5)));
        List<Kill> kills;
        try {
            List<CompletableFuture<ExecResult>> jobs = IntStream.range(0, JOBS)
                    .mapToObj(i -> pool.call(PROGRAM, String.valueOf(i)))
                    .toList();
            kills = killWhileRunning(jobs);

            Map<Status, Integer> statuses = new EnumMap<>(Status.class);
            List<String> wrong = new ArrayList<>();
            int toleratedCrashes = 0;
            for (int i = 0; i < JOBS; i++) {
                ExecResult result = await(jobs.get(i));
                statuses.merge(result.status(), 1, Integer::sum);
                String expected = String.valueOf((long) i * i + TOTAL);
                if (result.status() == Status.CRASHED && killsWhileRunning(kills, i) >= 2) {
                    // Two of its workers were killed by this test: CRASHED is the pool's contract.
                    toleratedCrashes++;
                } else if (!result.ok() || !expected.equals(result.result())) {
                    wrong.add("job " + i + ": " + result.status() + " " + result.result() + " " + result.error()
                            + " (killed under it " + killsWhileRunning(kills, i) + " times)");
                }
            }
            System.out.printf("OutsideKillIT: %d jobs, %d kills (%s), statuses %s, %d CRASHED tolerated%n",
                    JOBS, kills.size(), kills.stream().map(Kill::name).collect(Collectors.groupingBy(
                            name -> name, Collectors.counting())), statuses, toleratedCrashes);

            assertThat(kills.size()).as("kills during the batch (too few make the test meaningless)")
                    .isGreaterThanOrEqualTo(MIN_KILLS);
            assertThat(wrong).as("jobs lost or answered wrong after %d kills: %s", kills.size(), kills).isEmpty();
            for (int i = 0; i < 20; i++) {
                ExecResult after = await(pool.call(PROGRAM, String.valueOf(i + 1)));
                assertThat(after.result()).isEqualTo(String.valueOf((long) (i + 1) * (i + 1) + TOTAL));
            }
        } finally {
            pool.close();
        }

        assertThat(Sandboxes.eventually(5_000, () -> ProcessHandle.current().descendants().findAny().isEmpty()))
                .as("processes below the JVM after close: %s",
                        ProcessHandle.current().descendants().map(ProcessHandle::pid).toList())
                .isTrue();
        assertThat(Sandboxes.eventually(3_000, () -> Sandboxes.ownOrOrphanedProcessesOf(NOBODY).stream()
                .allMatch(process -> orphansBefore.contains(process.pid()))))
                .as("uid %d processes left: %s", NOBODY, Sandboxes.ownOrOrphanedProcessesOf(NOBODY))
                .isTrue();
    }

    record Kill(long pid, String name, List<Integer> runningJobs) {}

    /**
     * Every 100-200 ms kills one random process below the JVM that is old enough, then waits
     * until the jobs that may have been running on it are done; stops when the batch is done.
     */
    private static List<Kill> killWhileRunning(List<CompletableFuture<ExecResult>> jobs) throws InterruptedException {
        Random random = new Random(7);
        List<Kill> kills = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Sandboxes.WAIT_SECONDS);
        while (!allDone(jobs) && System.nanoTime() < deadline) {
            Thread.sleep(100 + random.nextInt(100));
            Instant oldEnough = Instant.now().minus(MIN_VICTIM_AGE);
            List<ProcessHandle> victims = ProcessHandle.current().descendants()
                    .filter(process -> process.info().startInstant().map(start -> start.isBefore(oldEnough)).orElse(false))
                    .toList();
            if (victims.isEmpty()) {
                continue;
            }
            List<Integer> running = oldestUnfinished(jobs, WORKERS + 1);
            if (running.isEmpty()) {
                break;
            }
            ProcessHandle victim = victims.get(random.nextInt(victims.size()));
            boolean top = victim.parent().map(parent -> parent.pid() == ProcessHandle.current().pid()).orElse(false);
            String name = victim.info().command().map(command -> command.substring(command.lastIndexOf('/') + 1))
                    .orElse("?") + (top ? " (started by the JVM)" : " (below a worker)");
            if (victim.destroyForcibly()) {
                kills.add(new Kill(victim.pid(), name, running));
                awaitDone(jobs, running, deadline);
            }
        }
        return kills;
    }

    /** How many kills happened while job {@code index} may have been running. */
    private static long killsWhileRunning(List<Kill> kills, int index) {
        return kills.stream().filter(kill -> kill.runningJobs().contains(index)).count();
    }

    private static boolean allDone(List<CompletableFuture<ExecResult>> jobs) {
        return jobs.stream().allMatch(CompletableFuture::isDone);
    }

    private static List<Integer> oldestUnfinished(List<CompletableFuture<ExecResult>> jobs, int count) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < jobs.size() && found.size() < count; i++) {
            if (!jobs.get(i).isDone()) {
                found.add(i);
            }
        }
        return found;
    }

    private static void awaitDone(List<CompletableFuture<ExecResult>> jobs, List<Integer> indices, long deadline)
            throws InterruptedException {
        while (System.nanoTime() < deadline && !indices.stream().allMatch(i -> jobs.get(i).isDone())) {
            Thread.sleep(5);
        }
    }
}
