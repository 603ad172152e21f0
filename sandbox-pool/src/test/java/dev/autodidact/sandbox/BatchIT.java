package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Jobs travel in batches, yet each must be answered as if it had run alone: a saboteur, a
 * worker killer or an endless loop in the middle of a batch changes no other job's answer.
 */
class BatchIT {

    private static final int JOBS = 48;
    private static final int CULPRIT = 20;

    @Test
    void aProgramThatPatchesAModuleMidBatchChangesNoOtherAnswer() {
        List<ExecResult> results = runWithCulprit("import math\nmath.pi = 3\n", "'patched'");

        assertThat(results.get(CULPRIT).result()).isEqualTo("'patched'");
        assertHonestJobsCorrect(results);
    }

    @Test
    void aProgramThatKillsItsWorkerMidBatchIsTheOnlyOneToCrash() {
        List<ExecResult> results = runWithCulprit("import os\nos._exit(3)\n", "1");

        assertThat(results.get(CULPRIT).status()).isEqualTo(Status.CRASHED);
        assertHonestJobsCorrect(results);
    }

    @Test
    void anEndlessLoopMidBatchIsTheOnlyOneToTimeOut() {
        List<ExecResult> results = runWithCulprit("while True:\n    pass\n", "1");

        assertThat(results.get(CULPRIT).status()).isEqualTo(Status.TIMEOUT);
        assertHonestJobsCorrect(results);
    }

    @Test
    void anErrorMidBatchAnswersThatJobAndRunsTheRestOnAnotherWorker() {
        List<ExecResult> results = runWithCulprit("", "1 / 0");

        assertThat(results.get(CULPRIT).error()).startsWith("ZeroDivisionError");
        assertHonestJobsCorrect(results);
    }

    /** One worker, so the jobs are batched together; job CULPRIT is the hostile one. */
    private static List<ExecResult> runWithCulprit(String code, String expression) {
        SandboxConfig config = SandboxConfig.defaults().withWorkers(1).withTimeout(Duration.ofSeconds(1));
        try (SandboxPool pool = SandboxPool.start(config)) {
            List<CompletableFuture<ExecResult>> jobs = IntStream.range(0, JOBS)
                    .mapToObj(i -> i == CULPRIT
                            ? pool.evaluate(code, expression)
                            : pool.evaluate("import math\ndef f(i):\n    return (i, math.pi)\n", "f(" + i + ")"))
                    .toList();
            return jobs.stream().map(Sandboxes::await).toList();
        }
    }

    private static void assertHonestJobsCorrect(List<ExecResult> results) {
        for (int i = 0; i < JOBS; i++) {
            if (i != CULPRIT) {
                assertThat(results.get(i).result()).as("job %d: %s", i, results.get(i).error())
                        .isEqualTo("(" + i + ", 3.141592653589793)");
            }
        }
    }
}
