package dev.autodidact.sandbox;

/**
 * The outcome of one sandbox job.
 *
 * @param status     how the job ended
 * @param result     repr of the value when {@link Status#OK} (for checks, their answer), else null
 * @param stdout     what the program printed, capped at the configured size
 * @param error      one line saying what went wrong, null when OK
 * @param wallMillis time spent by the worker on the job, queueing excluded
 * @param workerId   the worker process that ran the job, unique over the pool's life (a
 *                   replacement process gets a new id); {@link #NO_WORKER} if none ran it
 */
public record ExecResult(Status status, String result, String stdout, String error, long wallMillis, int workerId) {

    public static final int NO_WORKER = -1;

    public boolean ok() {
        return status == Status.OK;
    }

    static ExecResult failure(Status status, String error, long wallMillis, int workerId) {
        return new ExecResult(status, null, "", error, wallMillis, workerId);
    }
}
