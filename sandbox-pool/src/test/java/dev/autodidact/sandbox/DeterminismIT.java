package dev.autodidact.sandbox;

import static dev.autodidact.sandbox.Sandboxes.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeterminismIT {

    // String hashing, and so set order, depends on PYTHONHASHSEED: every worker gets the same.
    private static final String PROGRAM = lines(
            "def f(n):",
            "    words = {'w%d' % (i * 7919 % 1000) for i in range(n)}",
            "    counts = {}",
            "    for word in words:",
            "        counts[word[-1]] = counts.get(word[-1], 0) + 1",
            "    return [list(words)[:8], hash('autodidact%d' % n), counts, sorted(words)[-1:]]");

    @Test
    void twoPoolsComputeIdenticalResults() {
        List<String> first = runAll();
        List<String> second = runAll();

        assertThat(first).hasSize(50).doesNotContainNull();
        assertThat(second).isEqualTo(first);
    }

    private static List<String> runAll() {
        try (SandboxPool pool = SandboxPool.start(SandboxConfig.defaults().withWorkers(2).withMaxJobsPerWorker(10))) {
            return IntStream.range(0, 50)
                    .mapToObj(n -> pool.call(PROGRAM, String.valueOf(n)))
                    .toList().stream()
                    .map(Sandboxes::await)
                    .map(ExecResult::result)
                    .toList();
        }
    }
}
