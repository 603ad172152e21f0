package dev.autodidact.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers shared by the tests that run real worker processes. */
final class Sandboxes {

    /** Generous: the machine is small and shared, and some jobs run into the 2 s timeout. */
    static final long WAIT_SECONDS = 60;
    /** The uid workers drop to when the JVM is root. */
    static final int NOBODY = 65534;

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

    /** A process as the host's /proc shows it (real uid). */
    record ProcInfo(long pid, long ppid, int uid, String name) {}

    /** Where a process hangs in the host's process tree, seen from this JVM. */
    enum Lineage {
        /** Below this JVM. */
        OURS,
        /** Below another JVM on the machine (another test run's pool): not ours to judge. */
        FOREIGN,
        /** Below no JVM: re-parented to init, as an escaped or daemonised process would be. */
        ORPHAN
    }

    /** Every process of the host, read from /proc; processes that vanish while reading are skipped. */
    static Map<Long, ProcInfo> processes() {
        Map<Long, ProcInfo> all = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    readProcess(entry).ifPresent(info -> all.put(info.pid(), info));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return all;
    }

    private static Optional<ProcInfo> readProcess(Path directory) {
        try {
            long pid = Long.parseLong(directory.getFileName().toString());
            long ppid = -1;
            int uid = -1;
            String name = "";
            for (String line : Files.readAllLines(directory.resolve("status"))) {
                if (line.startsWith("Name:")) {
                    name = line.substring(5).strip();
                } else if (line.startsWith("PPid:")) {
                    ppid = Long.parseLong(line.substring(5).strip());
                } else if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
                }
            }
            return Optional.of(new ProcInfo(pid, ppid, uid, name));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Lineage lineage(ProcInfo process, Map<Long, ProcInfo> all) {
        long self = ProcessHandle.current().pid();
        long parent = process.ppid();
        for (int depth = 0; depth < 256 && parent > 1; depth++) {
            if (parent == self) {
                return Lineage.OURS;
            }
            ProcInfo ancestor = all.get(parent);
            if (ancestor == null) {
                return Lineage.ORPHAN;
            }
            if ("java".equals(ancestor.name())) {
                return Lineage.FOREIGN;
            }
            parent = ancestor.ppid();
        }
        return Lineage.ORPHAN;
    }

    /**
     * Processes of {@code uid} that are this JVM's or nobody's (orphans), leaving out those of
     * other JVMs on the machine, which may run their own sandbox tests at the same time.
     */
    static List<ProcInfo> ownOrOrphanedProcessesOf(int uid) {
        Map<Long, ProcInfo> all = processes();
        List<ProcInfo> found = new ArrayList<>();
        for (ProcInfo process : all.values()) {
            if (process.uid() == uid && lineage(process, all) != Lineage.FOREIGN) {
                found.add(process);
            }
        }
        return found;
    }

    /** Orphaned processes of {@code uid}, except those in {@code known}. */
    static List<ProcInfo> newOrphansOf(int uid, Set<Long> known) {
        Map<Long, ProcInfo> all = processes();
        List<ProcInfo> found = new ArrayList<>();
        for (ProcInfo process : all.values()) {
            if (process.uid() == uid && !known.contains(process.pid()) && lineage(process, all) == Lineage.ORPHAN) {
                found.add(process);
            }
        }
        return found;
    }

    /** Polls {@code condition} every 20 ms for up to {@code millis}; true as soon as it holds. */
    static boolean eventually(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }

    /** SIGKILLs a process by pid (the tests run as root, outside any sandbox). */
    static void killForcibly(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
