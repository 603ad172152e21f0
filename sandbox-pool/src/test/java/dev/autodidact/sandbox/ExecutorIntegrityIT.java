package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A program must not corrupt its own reply nor the jobs after it on the same worker. */
class ExecutorIntegrityIT {

    private static final String CHECK_EXPRESSION = "(repr([1, 2]), len('abc'), print('still printing'))";

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        // One worker, so every following job runs where the damage was done.
        pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(1));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void overwrittenBuiltinsDoNotLeakIntoTheReplyOrLaterJobs() {
        ExecResult tampering = await(pool.call(lines(
                "import builtins, json",
                "builtins.repr = lambda value: 'forged'",
                "builtins.len = lambda value: -1",
                "builtins.print = lambda *args, **kwargs: None",
                "builtins.isinstance = lambda *args: False",
                "json.dumps = lambda *args, **kwargs: 'forged'",
                "def f(x):",
                "    return [x, len('abc')]"), "5"));

        assertThat(tampering.ok()).isTrue();
        assertThat(tampering.result()).isEqualTo("[5, -1]");
        assertThat(await(pool.evaluate("", CHECK_EXPRESSION)))
                .satisfies(next -> assertThat(next.result()).isEqualTo("('[1, 2]', 3, None)"))
                .satisfies(next -> assertThat(next.stdout()).isEqualTo("still printing\n"))
                // The executor noticed the changed builtins and the pool replaced that worker.
                .satisfies(next -> assertThat(next.workerId()).isNotEqualTo(tampering.workerId()));
    }

    @Test
    void rawWritesToTheOriginalStdoutDoNotReachTheProtocol() {
        ExecResult writing = await(pool.call(lines(
                "import os, sys",
                "os.write(1, b'\\x00\\x00\\x00\\x0f{\"status\":\"OK\"}')",
                "os.write(2, b'noise on stderr')",
                "sys.__stdout__.write('\\x00\\x00\\x00\\x05forge')",
                "sys.__stdout__.flush()",
                "sys.stdout = sys.__stdout__",
                "def f(x):",
                "    print('lost to /dev/null')",
                "    return x * 2"), "21"));

        assertThat(writing.ok()).isTrue();
        assertThat(writing.result()).isEqualTo("42");
        assertThat(writing.stdout()).isEmpty();
        assertThat(await(pool.evaluate("", CHECK_EXPRESSION)))
                .satisfies(next -> assertThat(next.result()).isEqualTo("('[1, 2]', 3, None)"))
                .satisfies(next -> assertThat(next.stdout()).isEqualTo("still printing\n"))
                .satisfies(next -> assertThat(next.workerId()).isEqualTo(writing.workerId()));
    }

    @Test
    void aWorkerIsReplacedAfterItsJobQuotaAndAfterAnyFailure() {
        try (SandboxPool small = SandboxPool.start(SandboxConfig.defaults().withWorkers(1).withMaxJobsPerWorker(3))) {
            int[] workers = new int[7];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = await(small.evaluate("", "1")).workerId();
            }
            int beforeFailure = await(small.evaluate("", "1 / 0")).workerId();
            int afterFailure = await(small.evaluate("", "1")).workerId();

            assertThat(workers[1]).isEqualTo(workers[0]);
            assertThat(workers[2]).isEqualTo(workers[0]);
            assertThat(workers[3]).isNotEqualTo(workers[2]);
            assertThat(workers[5]).isEqualTo(workers[3]);
            assertThat(workers[6]).isNotEqualTo(workers[5]);
            assertThat(afterFailure).isNotEqualTo(beforeFailure);
        }
    }

    @Test
    void withOneWorkerEvaluateAvoidingGetsAFreshProcess() {
        ExecResult first = await(pool.evaluate("", "'first'"));
        ExecResult second = await(pool.evaluateAvoiding(first.workerId(), "", "'second'"));

        assertThat(second.result()).isEqualTo("'second'");
        assertThat(second.workerId()).isNotEqualTo(first.workerId());
    }
}
