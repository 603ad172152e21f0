package dev.autodidact.sandbox;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThroughputProbeIT {
    @Test
    void probe() {
        try (SandboxPool pool = SandboxPool.start(SandboxConfig.defaults().withMaxJobsPerWorker(Integer.getInteger("probe.jobs", 100)))) {
            Verifier verifier = new Verifier(pool);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                List<CompletableFuture<ExecResult>> jobs = IntStream.range(0, 5000)
                        .mapToObj(i -> pool.call("def f(x):\n    return x + 1\n", String.valueOf(i))).toList();
                jobs.forEach(Sandboxes::await);
                double trivial = 5000 / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                List<CompletableFuture<ExecResult>> typical = IntStream.range(0, 2000)
                        .mapToObj(i -> pool.call("def f(xs):\n    d = {}\n    for x in xs:\n        d[x % 7] = d.get(x % 7, 0) + x\n    return sorted(d.items())\n", "list(range(" + (200 + i % 50) + "))")).toList();
                typical.forEach(Sandboxes::await);
                double typ = 2000 / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                var validations = IntStream.range(0, 500)
                        .mapToObj(i -> verifier.validate("def f(x):\n    return [x, x * 2]\n", List.of(String.valueOf(i)))).toList();
                validations.forEach(Sandboxes::await);
                double val = 500 / ((System.nanoTime() - t0) / 1e9);
                System.err.printf("PROBE round %d: trivial %.0f/s, typical %.0f/s, validations %.0f/s%n", round, trivial, typ, val);
            }
        }
    }
}
