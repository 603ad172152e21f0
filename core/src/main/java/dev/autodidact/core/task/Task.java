package dev.autodidact.core.task;

import java.util.List;

/**
 * A validated task: a program with its inputs and the executor's gold outputs.
 *
 * <p>For deduction and abduction there is exactly one input/output pair. For induction the
 * solver sees the first {@link #shownPairs()} pairs and the message, and must reproduce all.
 *
 * @param id unique within a run: "s{step}-{type}{index}", or "seed-{n}" for seed tasks
 * @param predictedSuccesses the generator's k in 0..K (mu = k / K); -1 for seed tasks
 */
public record Task(
    String id,
    TaskType type,
    String program,
    List<String> inputs,
    List<String> outputs,
    String message,
    int predictedSuccesses) {

  public Task {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.size() != outputs.size() || inputs.isEmpty()) {
      throw new IllegalArgumentException("a task needs matching, non-empty inputs and outputs");
    }
    message = message == null ? "" : message;
  }

  /** How many of the induction pairs the solver is shown; the rest stay hidden. */
  public int shownPairs() {
    return type == TaskType.INDUCTION ? (inputs.size() + 1) / 2 : inputs.size();
  }

  public String input() {
    return inputs.get(0);
  }

  public String output() {
    return outputs.get(0);
  }
}
