package dev.autodidact.sandbox;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One running executor process and its frame channel; used by one thread at a time. */
final class WorkerProcess {

    /** What came of sending one request. */
    sealed interface Outcome permits Replied, TimedOut, Broken {}

    record Replied(ExecResult result) implements Outcome {}

    record TimedOut(long wallMillis) implements Outcome {}

    /** The channel failed (EOF, malformed frame): the process is dead or not to be trusted. */
    record Broken(String reason) implements Outcome {}

    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

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
        byte[] frame = WireFormat.encode(jobId, request);
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
        String stdout = reply.stdout() == null ? "" : reply.stdout();
        return new Replied(new ExecResult(
                reply.status(), reply.result(), stdout, reply.error(), millisSince(started), id));
    }

    /** Kills the process and anything it started; safe from any thread. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Kills the process, releases its pipes and waits until it is reaped. */
    void close() {
        kill();
        channel.close();
        try {
            process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
