package dev.autodidact.sandbox;

import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One running executor process and its frame channel; used by one thread at a time. */
final class WorkerProcess {

    /** What came of sending one request. */
    sealed interface Outcome permits Replied, TimedOut, Broken {}

    /**
     * @param results the jobs the executor ran, in order: all, or up to the first that was not ok
     * @param dirty   why a program left the interpreter changed, or null; if set, the worker
     *                must be replaced and results after the first are suspect
     */
    record Replied(List<ExecResult> results, String dirty) implements Outcome {}

    record TimedOut(long wallMillis) implements Outcome {}

    /** The channel failed (EOF, malformed frame): the process is dead or not to be trusted. */
    record Broken(String reason) implements Outcome {}

    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    // Nonces only authenticate frames; they never reach a result, so they may be truly random.
    private static final SecureRandom NONCES = new SecureRandom();

    private final int id;
    private final Process process;
    private final FrameChannel channel;
    private final ScheduledExecutorService watchdog;

    WorkerProcess(int id, Process process, FrameChannel channel, ScheduledExecutorService watchdog) {
        this.id = id;
        this.process = process;
        this.channel = channel;
        this.watchdog = watchdog;
    }

    int id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    /** Reads the executor's first frame; the process is killed if it does not come in time. */
    WireFormat.Hello awaitHello(Duration timeout) throws IOException {
        Deadline deadline = new Deadline(timeout);
        try {
            WireFormat.Hello hello = WireFormat.decodeHello(channel.read());
            if (deadline.disarm()) {
                return hello;
            }
        } catch (IOException e) {
            if (deadline.disarm()) {
                throw e;
            }
        }
        throw new IOException("no hello within " + timeout.toMillis() + " ms");
    }

    /** Runs a batch of jobs; the deadline is the per-job timeout times the batch size. */
    Outcome exchange(List<WireFormat.Numbered> jobs, Duration timeout) {
        long nonce = NONCES.nextLong();
        byte[] frame = WireFormat.encode(nonce, jobs);
        long started = System.nanoTime();
        Deadline deadline = new Deadline(timeout.multipliedBy(jobs.size()));
        WireFormat.BatchReply reply;
        try {
            channel.write(frame);
            reply = WireFormat.decodeReply(channel.read());
        } catch (IOException e) {
            return deadline.disarm() ? new Broken(describe(e)) : new TimedOut(millisSince(started));
        }
        if (!deadline.disarm()) {
            return new TimedOut(millisSince(started));
        }
        if (reply.nonce() == null || reply.nonce() != nonce) {
            return new Broken("a reply frame without the batch's nonce (forged by a program?)");
        }
        if (reply.replies().isEmpty() || reply.replies().size() > jobs.size()) {
            return new Broken("a reply with " + reply.replies().size() + " answers to " + jobs.size() + " jobs");
        }
        long wallMillis = millisSince(started);
        List<ExecResult> results = new ArrayList<>();
        for (int i = 0; i < reply.replies().size(); i++) {
            WireFormat.Reply answer = reply.replies().get(i);
            if (answer.id() == null || answer.id() != jobs.get(i).id() || answer.status() == null) {
                return new Broken("reply " + answer.id() + " does not answer job " + jobs.get(i).id());
            }
            String stdout = answer.stdout() == null ? "" : answer.stdout();
            long millis = answer.millis() != null ? answer.millis() : wallMillis / reply.replies().size();
            results.add(new ExecResult(answer.status(), answer.result(), stdout, answer.error(), millis, id));
        }
        return new Replied(results, reply.dirty());
    }

    /**
     * Kills the worker; safe from any thread. The jailed process (pid 1 of its namespace) dies
     * first, so that each process of the worker's chain reaps its own child and exits, and no
     * zombie is left for the host's init to collect. Before the jail exists, the process itself.
     */
    void kill() {
        List<ProcessHandle> leaves = process.descendants()
                .filter(handle -> handle.children().findAny().isEmpty())
                .toList();
        if (leaves.isEmpty()) {
            process.destroyForcibly();
        } else {
            leaves.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Kills the worker, releases its pipes and waits until it is reaped (forcibly if need be). */
    void close() {
        kill();
        channel.close();
        try {
            if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "worker process exited";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Kills the process unless disarmed in time; exactly one of the two happens. */
    private final class Deadline {

        private final AtomicBoolean settled = new AtomicBoolean();
        private final ScheduledFuture<?> alarm;

        Deadline(Duration timeout) {
            alarm = watchdog.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** False when the deadline already passed and the process is being killed. */
        boolean disarm() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            alarm.cancel(false);
            return true;
        }

        private void expire() {
            if (settled.compareAndSet(false, true)) {
                kill();
            }
        }
    }
}
