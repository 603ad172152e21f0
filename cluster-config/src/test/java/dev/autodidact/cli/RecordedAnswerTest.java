package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check programs of CRUXEval's evaluator (evaluation/utils_general.py), quirks included. */
class RecordedAnswerTest {
  static final CruxEvalTask TASK =
      new CruxEvalTask("sample_12", "def f(nums):\n    return nums[::-1]", "[1, 1, 3]", "[3, 1, 1]");

  @Test
  void anOutputAnswerIsAssertedEqualToTheOutput() {
    RecordedAnswer answer = new RecordedAnswer(TASK, Prediction.OUTPUT, 3, "[3, 1, 1]", true);

    assertThat(answer.checkProgram())
        .hasValue("def f(nums):\n    return nums[::-1]\nassert [3, 1, 1] == [3, 1, 1]");
    assertThat(answer.id()).isEqualTo("sample_12/output/3");
  }

  @Test
  void anInputAnswerIsACallAssertedEqualToTheOutput() {
    RecordedAnswer answer = new RecordedAnswer(TASK, Prediction.INPUT, 0, "f([1, 1, 3])", true);

    assertThat(answer.checkProgram())
        .hasValue("def f(nums):\n    return nums[::-1]\nassert [3, 1, 1] == f([1, 1, 3])");
    assertThat(answer.id()).isEqualTo("sample_12/input/0");
  }

  @Test
  void anOutputAnswerThatCallsFOnTheInputIsNotRun() {
    assertThat(new RecordedAnswer(TASK, Prediction.OUTPUT, 0, "f([1, 1, 3])", false).checkProgram()).isEmpty();
    assertThat(new RecordedAnswer(TASK, Prediction.OUTPUT, 0, "list(reversed(f([1, 1, 3])))", false).checkProgram())
        .isEmpty();
  }

  @Test
  void anOutputAnswerThatCallsFOnAnythingElseIsRun() {
    assertThat(new RecordedAnswer(TASK, Prediction.OUTPUT, 0, "f([3, 1, 1])[::-1]", false).checkProgram()).isPresent();
    assertThat(new RecordedAnswer(TASK, Prediction.OUTPUT, 0, "f( [1, 1, 3])", false).checkProgram()).isPresent();
  }

  @Test
  void anInputAnswerWithoutACallToFIsNotRun() {
    assertThat(new RecordedAnswer(TASK, Prediction.INPUT, 0, "[1, 1, 3]", false).checkProgram()).isEmpty();
    assertThat(new RecordedAnswer(TASK, Prediction.INPUT, 0, "g([1, 1, 3])", false).checkProgram()).isEmpty();
  }

  @Test
  void theQuirkTestsTextNotCalls() {
    // "gf(" contains "f(": the evaluator ran it (and the assert then fails on the undefined name).
    assertThat(new RecordedAnswer(TASK, Prediction.INPUT, 0, "gf([1, 1, 3])", false).checkProgram()).isPresent();
  }

  @Test
  void predictionsNameTheirAnswerFiles() {
    assertThat(Prediction.OUTPUT.answersFile()).isEqualTo("codellama-7b-output-scored.json");
    assertThat(Prediction.INPUT.answersFile()).isEqualTo("codellama-7b-input-scored.json");
  }
}
