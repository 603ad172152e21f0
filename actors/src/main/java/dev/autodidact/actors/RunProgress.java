package dev.autodidact.actors;

import java.util.List;

/** What a TrainingRun tells whoever watches it (the CLI's progress bar and metrics file). */
public sealed interface RunProgress {

  /** A step finished; {@code metrics} holds every step so far, in order. */
  record StepFinished(List<StepMetrics> metrics) implements RunProgress {}

  /**
   * How long the step waited for its events to be journaled (from each persist to its
   * confirmation; the run does nothing else meanwhile). Sent just before the step's
   * {@link StepFinished}; measured, never journaled.
   */
  record StepJournaled(long step, double journalSeconds) implements RunProgress {}

  /** The run has done all its steps. */
  record RunFinished(List<StepMetrics> metrics) implements RunProgress {}

  /** The run cannot go on; the reason is one line. Everything journaled so far is kept. */
  record RunFailed(String reason) implements RunProgress {}
}
