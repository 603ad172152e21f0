package dev.autodidact.cli;

import java.util.Optional;

/**
 * One of the answers CRUXEval recorded for a task, with the benchmark evaluator's verdict.
 *
 * @param index        the answer's position among the task's answers, from 0
 * @param recordedPass the benchmark's verdict
 */
record RecordedAnswer(CruxEvalTask task, Prediction prediction, int index, String answer, boolean recordedPass) {

  /** E.g. {@code sample_12/output/3}. */
  String id() {
    return task.id() + "/" + prediction.label() + "/" + index;
  }

  /**
   * The program the benchmark's evaluator ran to judge the answer, the same for both
   * predictions: {@code code}, then {@code assert <output> == <answer>} (for input prediction
   * the answer is the call); it passes when it runs to the end. Empty when the evaluator did not
   * run the answer (see {@link Prediction#evaluatorRuns}).
   */
  Optional<String> checkProgram() {
    if (!prediction.evaluatorRuns(task, answer)) {
      return Optional.empty();
    }
    return Optional.of(task.code() + "\nassert " + task.output() + " == " + answer);
  }
}
