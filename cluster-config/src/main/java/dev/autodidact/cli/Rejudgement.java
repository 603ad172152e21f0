package dev.autodidact.cli;

import dev.autodidact.sandbox.ExecResult;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Status;
import java.util.concurrent.CompletableFuture;

/**
 * Our verdict on a recorded answer: its check program's sandbox status, or {@link #NOT_RUN}
 * when the benchmark's evaluator would not have run the answer either.
 *
 * @param status a {@link JobReport#statusName status name} or {@link #NOT_RUN}
 * @param error  the sandbox's one-line error, null when the check passed
 */
record Rejudgement(RecordedAnswer answer, String status, String error) {
  static final String NOT_RUN = "not_run";
  private static final String PASSED = JobReport.statusName(Status.OK);

  /** Runs the answer's check program in the pool: {@code exec(program)}, then nothing left to evaluate. */
  static CompletableFuture<Rejudgement> of(SandboxPool pool, RecordedAnswer answer) {
    return answer.checkProgram()
        .map(program -> pool.evaluate(program, "None").thenApply(outcome -> ran(answer, outcome)))
        .orElseGet(() -> CompletableFuture.completedFuture(notRun(answer)));
  }

  static Rejudgement ran(RecordedAnswer answer, ExecResult outcome) {
    return new Rejudgement(answer, JobReport.statusName(outcome.status()), outcome.error());
  }

  static Rejudgement notRun(RecordedAnswer answer) {
    String rule = answer.prediction() == Prediction.OUTPUT
        ? "the answer calls f on the task's input" : "the answer does not call f";
    return new Rejudgement(answer, NOT_RUN, rule);
  }

  boolean passed() {
    return status.equals(PASSED);
  }

  boolean agrees() {
    return passed() == answer.recordedPass();
  }

  /** Our status, and the error when there is one: {@code "error: AssertionError"}. */
  String reason() {
    return error == null ? status : status + ": " + error;
  }
}
