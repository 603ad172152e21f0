package dev.autodidact.core.format;

import dev.autodidact.core.task.TaskType;
import java.util.List;

/**
 * What the generator proposed, parsed from its answer text but not yet validated.
 *
 * @param predictedSuccesses k in 0..K: "I expect k of K attempts to succeed"
 */
public record Proposal(
    TaskType type, String program, List<String> inputs, String message, int predictedSuccesses) {

  public Proposal {
    inputs = List.copyOf(inputs);
    message = message == null ? "" : message;
  }
}
