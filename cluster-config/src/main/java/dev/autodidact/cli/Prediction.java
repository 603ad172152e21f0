package dev.autodidact.cli;

import java.util.Locale;

/**
 * CRUXEval's two tasks: predict {@code f}'s output from its input (deduction), or an input that
 * gives the output (abduction, answered as a call such as {@code f([1, 1, 3])}).
 */
enum Prediction {
  OUTPUT,
  INPUT;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The file of CodeLlama-7B's answers and the benchmark's verdicts on them. */
  String answersFile() {
    return "codellama-7b-" + label() + "-scored.json";
  }

  /**
   * Whether the benchmark's evaluator ran the answer at all; one it did not run counted as
   * wrong. An output answer must not just call f on the input, and an input answer must call f.
   */
  boolean evaluatorRuns(CruxEvalTask task, String answer) {
    return switch (this) {
      case OUTPUT -> !answer.contains("f(" + task.input() + ")");
      case INPUT -> answer.contains("f(");
    };
  }
}
