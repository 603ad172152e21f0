package dev.autodidact.sandbox;

import java.io.EOFException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One running executor process and its frame channel; used by one thread at a time. */
final class WorkerProcess {

    /** What came of sending one request. */
    sealed interface Outcome permits Replied, TimedOut, Broken {}

    /** @param dirty why the program left the interpreter changed, or null: then it must be replaced */
    record Replied(ExecResult result, String dirty) implements Outcome {}

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

    Outcome exchange(long jobId, Request request, Duration timeout) {
        long nonce = NONCES.nextLong();
        byte[] frame = WireFormat.encode(jobId, nonce, request);
        long started = System.nanoTime();
        Deadline deadline = new Deadline(timeout);
        WireFormat.Reply reply;
        try {
            channel.write(frame);
            reply = WireFormat.decodeReply(channel.read());
        } catch (IOException e) {
            return deadline.disarm() ? new Broken(describe(e)) : new TimedOut(millisSince(started));
        }
        if (!deadline.disarm()) {
            return new TimedOut(millisSince(started));
        }
        if (reply.id() == null || reply.id() != jobId || reply.status() == null) {
            return new Broken("reply " + reply.id() + " does not answer job " + jobId);
        }
        if (reply.nonce() == null || reply.nonce() != nonce) {
            return new Broken("a reply frame without the job's nonce (forged by the program?)");
        }
        String stdout = reply.stdout() == null ? "" : reply.stdout();
        return new Replied(new ExecResult(
                reply.status(), reply.result(), stdout, reply.error(), millisSince(started), id), reply.dirty());
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
