package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.await;
import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SandboxPoolIT {

    private static SandboxPool pool;

    @BeforeAll
    static void startPool() {
        pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(2));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    static Stream<Arguments> valuesAndTheirReprs() {
        return Stream.of(
                Arguments.of("x * 6", "7", "42"),
                Arguments.of("x.upper()", "'abc'", "'ABC'"),
                Arguments.of("x + [4]", "[1, 2, 3]", "[1, 2, 3, 4]"),
                Arguments.of("{k: len(k) for k in x}", "['a', 'bb']", "{'a': 1, 'bb': 2}"),
                Arguments.of("(x, [x, {'k': (x,)}])", "None", "(None, [None, {'k': (None,)}])"),
                Arguments.of("x / 4", "2", "0.5"),
                Arguments.of("\"it's \" + x", "'ok'", "\"it's ok\""),
                Arguments.of("x[::-1]", "'h\\u00e9llo'", "'oll\u00e9h'"));
    }

    @ParameterizedTest
    @MethodSource("valuesAndTheirReprs")
    void callReturnsTheReprOfTheValue(String body, String argument, String expectedRepr) {
        ExecResult result = await(pool.call("def f(x):\n    return " + body + "\n", argument));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.result()).isEqualTo(expectedRepr);
        assertThat(result.error()).isNull();
        assertThat(result.workerId()).isPositive();
    }

    @Test
    void printedOutputIsCaptured() {
        ExecResult result = await(pool.call(lines(
                "def f(n):",
                "    for i in range(n):",
                "        print('line', i)",
                "    return n"), "2"));

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).isEqualTo("line 0\nline 1\n");
    }

    @Test
    void anExceptionIsAnErrorWithItsOneLineMessage() {
        ExecResult result = await(pool.call("def f(x):\n    return x / 0\n", "1"));

        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.error()).isEqualTo("ZeroDivisionError: division by zero");
        assertThat(result.result()).isNull();
    }

    @Test
    void aSyntaxErrorIsAnError() {
        ExecResult result = await(pool.call("def f(x) return x\n", "1"));

        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.error()).startsWith("SyntaxError");
    }

    @Test
    void anInfiniteLoopTimesOutAndThePoolKeepsWorking() {
        ExecResult looping = await(pool.call("def f(x):\n    while True:\n        x += 1\n", "0"));

        assertThat(looping.status()).isEqualTo(Status.TIMEOUT);
        assertThat(looping.wallMillis()).isGreaterThanOrEqualTo(2000);
        List<ExecResult> after = IntStream.range(0, 10)
                .mapToObj(i -> pool.call("def f(x):\n    return x + 1\n", String.valueOf(i)))
                .map(Sandboxes::await)
                .toList();
        assertThat(after).extracting(ExecResult::result)
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    }

    @Test
    void allocatingTenGigabytesIsAMemoryFailure() {
        ExecResult result = await(pool.call("def f(n):\n    return len(bytearray(n))\n", "10 * 1024 ** 3"));

        assertThat(result.status()).isEqualTo(Status.MEMORY);
    }

    @Test
    void printingTenMegabytesHitsTheOutputLimit() {
        ExecResult result = await(pool.call("def f(n):\n    print('x' * n)\n    return n\n", "10 * 1024 * 1024"));

        assertThat(result.status()).isEqualTo(Status.OUTPUT_LIMIT);
        assertThat(result.stdout()).hasSize(4096);
    }

    @Test
    void aHugeResultHitsTheOutputLimit() {
        ExecResult result = await(pool.call("def f(n):\n    return list(range(n))\n", "100000"));

        assertThat(result.status()).isEqualTo(Status.OUTPUT_LIMIT);
        assertThat(result.result()).isNull();
    }

    @Test
    void everyJobGetsAFreshNamespace() {
        await(pool.evaluate("leaked = 'from an earlier job'", "leaked"));

        List<ExecResult> later = IntStream.range(0, 4)
                .mapToObj(i -> pool.evaluate("", "'leaked' in globals()"))
                .map(Sandboxes::await)
                .toList();

        assertThat(later).extracting(ExecResult::result).containsOnly("False");
    }

    @Test
    void evaluateAvoidingRunsOnAnotherWorkerProcess() {
        for (int i = 0; i < 10; i++) {
            ExecResult first = await(pool.evaluate("", "1"));
            ExecResult second = await(pool.evaluateAvoiding(first.workerId(), "", "2"));

            assertThat(second.result()).isEqualTo("2");
            assertThat(second.workerId()).isNotEqualTo(first.workerId());
        }
    }

    @Test
    void aProgramThatKillsItsWorkerCrashesAfterOneRetry() {
        ExecResult result = await(pool.evaluate("import os\nos._exit(3)\n", "1"));

        assertThat(result.status()).isEqualTo(Status.CRASHED);
        assertThat(result.error()).isEqualTo("worker process exited");
        assertThat(await(pool.evaluate("", "6 * 7")).result()).isEqualTo("42");
    }

    @Test
    void programsCannotStartProcessesOrThreads() {
        // seccomp refuses fork and clone (RLIMIT_NPROC = 0 would refuse them too).
        assertThat(await(pool.evaluate("import os", "os.fork()")).error()).startsWith("PermissionError");
        assertThat(await(pool.evaluate("import _thread", "_thread.start_new_thread(len, ('',))"))
                .error()).isEqualTo("RuntimeError: can't start new thread");
    }

    @Test
    void programsCannotWriteRootsFilesNorPutDataInAnyFile() throws IOException {
        Path probe = Path.of("/tmp", "autodidact-sandbox-probe-" + ProcessHandle.current().pid());
        try {
            ExecResult intoUsr = await(pool.evaluate("", "open('/usr/probe', 'w')"));
            ExecResult intoRoot = await(pool.evaluate("", "open('/probe', 'w')"));
            ExecResult intoPrivateTmp = await(pool.evaluate(
                    "handle = open('" + probe + "', 'w')\nhandle.write('data')", "handle.flush()"));
            ExecResult pastTheScratchLimit = await(pool.evaluate(
                    "handle = open('/tmp/big', 'w')\nhandle.write('x' * (8 << 20))", "handle.flush()"));

            assertThat(intoUsr.error()).startsWith("OSError: [Errno 30] Read-only file system");
            assertThat(intoRoot.error()).contains("Errno");
            // The worker's /tmp is its own tmpfs: the file exists there, never on the host.
            assertThat(intoPrivateTmp.ok()).as(intoPrivateTmp.error()).isTrue();
            assertThat(probe).doesNotExist();
            assertThat(pastTheScratchLimit.error()).containsAnyOf("File too large", "No space left on device");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @Test
    void oversizedRequestsAreRefusedWithoutAWorker() {
        ExecResult result = await(pool.evaluate("x = '" + "a".repeat(SandboxPool.MAX_REQUEST_CHARS) + "'", "1"));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.workerId()).isEqualTo(ExecResult.NO_WORKER);
    }

    @Test
    void thePoolReportsItsSize() {
        assertThat(pool.size()).isEqualTo(2);
    }
}
