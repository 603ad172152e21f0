package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejudgingReportTest {
  static final CruxEvalTask TASK = new CruxEvalTask("sample_3", "def f(x):\n    return x", "1", "1");

  @Test
  void countsAgreementAndListsEveryDisagreementWithOurReason() {
    List<Rejudgement> verdicts = List.of(
        new Rejudgement(answer(0, "1", true), "ok", null),
        new Rejudgement(answer(1, "2", false), "error", "AssertionError"),
        new Rejudgement(answer(2, "{1, 2}", true), "error", "AssertionError"),
        new Rejudgement(answer(3, "1", false), "ok", null),
        Rejudgement.notRun(answer(4, "f(1)", false)));

    Map<String, Object> report = RejudgingReport.of(verdicts, 1, 2.5);

    assertThat(report).containsEntry("total", 5).containsEntry("agreeing", 3L).containsEntry("agreement", 0.6)
        .containsEntry("recorded_passes", 2L).containsEntry("rejudged_passes", 2L).containsEntry("wall_s", 2.5)
        .containsEntry("by_status", Map.of("ok", 2L, "error", 2L, "not_run", 1L));
    assertThat(report.get("disagreements")).isEqualTo(List.of(
        Map.of("id", "sample_3/output/2", "answer", "{1, 2}", "recorded", true, "rejudged", false,
            "reason", "error: AssertionError"),
        Map.of("id", "sample_3/output/3", "answer", "1", "recorded", false, "rejudged", true, "reason", "ok")));
  }

  @Test
  void anAnswerTheEvaluatorDidNotRunFailsAndSaysWhy() {
    Rejudgement verdict = Rejudgement.notRun(answer(0, "f(1)", false));

    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.agrees()).isTrue();
    assertThat(verdict.reason()).isEqualTo("not_run: the answer calls f on the task's input");
  }

  private static RecordedAnswer answer(int index, String answer, boolean recordedPass) {
    return new RecordedAnswer(TASK, Prediction.OUTPUT, index, answer, recordedPass);
  }
}
