package dev.autodidact.actors;

import java.util.List;

/** What a TrainingRun tells whoever watches it (the CLI's progress bar and metrics file). */
public sealed interface RunProgress {

  /** A step finished; {@code metrics} holds every step so far, in order. */
  record StepFinished(List<StepMetrics> metrics) implements RunProgress {}

  /** The run has done all its steps. */
  record RunFinished(List<StepMetrics> metrics) implements RunProgress {}

  /** The run cannot go on; the reason is one line. Everything journaled so far is kept. */
  record RunFailed(String reason) implements RunProgress {}
}
