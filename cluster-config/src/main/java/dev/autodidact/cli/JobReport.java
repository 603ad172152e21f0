package dev.autodidact.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.autodidact.sandbox.ExecResult;
import dev.autodidact.sandbox.Status;
import java.util.Locale;

/**
 * One line of {@code sandbox run}'s output.
 *
 * @param status  {@link #statusName lower-case} sandbox status
 * @param result  repr of {@code f(input)} when the status is ok, else null
 * @param stdout  what the program printed (capped by the sandbox)
 * @param error   one line saying what went wrong, null when ok
 * @param wallMs  milliseconds a worker spent on the job, queueing excluded
 */
@JsonPropertyOrder({"id", "status", "result", "stdout", "error", "wall_ms"})
record JobReport(String id, String status, String result, String stdout, String error,
    @JsonProperty("wall_ms") long wallMs) {

  static JobReport of(String id, ExecResult outcome) {
    return new JobReport(id, statusName(outcome.status()), outcome.result(), outcome.stdout(), outcome.error(),
        outcome.wallMillis());
  }

  /** A line that never reached the sandbox. */
  static JobReport rejected(String id, String reason) {
    return new JobReport(id, statusName(Status.REJECTED), null, "", reason, 0);
  }

  /** How statuses are spelled in every JSON the CLI prints: {@code OUTPUT_LIMIT} is {@code output_limit}. */
  static String statusName(Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
