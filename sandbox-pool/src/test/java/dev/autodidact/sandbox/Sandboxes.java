package dev.autodidact.sandbox;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Helpers shared by the tests that run real worker processes. */
final class Sandboxes {

    /** Generous: the machine is small and shared, and some jobs run into the 2 s timeout. */
    static final long WAIT_SECONDS = 60;

    private Sandboxes() {}

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Executor processes below this JVM, whichever pool started them. */
    static Set<ProcessHandle> executorProcesses() {
        return ProcessHandle.current().descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("executor.py"))
                .collect(Collectors.toSet());
    }

    /** Waits (up to WAIT_SECONDS) until none of the processes is alive, then asserts it. */
    static void awaitGone(java.util.Collection<ProcessHandle> processes) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        org.assertj.core.api.Assertions.assertThat(processes).noneMatch(ProcessHandle::isAlive);
    }

    static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }
}
