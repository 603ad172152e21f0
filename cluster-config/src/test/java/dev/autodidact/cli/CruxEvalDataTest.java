package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CruxEvalDataTest {
  @TempDir
  Path dir;

  @Test
  void readsTasksAndBothPredictionsAnswersAlignedWithTheirVerdicts() throws Exception {
    writeTwoTasks();

    CruxEvalData data = CruxEvalData.load(dir);

    assertThat(data.tasks()).extracting(CruxEvalTask::id).containsExactly("sample_0", "sample_1");
    assertThat(data.answers()).extracting(RecordedAnswer::id).containsExactly(
        "sample_0/output/0", "sample_0/output/1", "sample_1/output/0",
        "sample_0/input/0", "sample_1/input/0", "sample_1/input/1");
    assertThat(data.answers().get(1).answer()).isEqualTo("3");
    assertThat(data.answers().get(1).recordedPass()).isFalse();
    assertThat(data.recordedPasses()).extracting(RecordedAnswer::id)
        .containsExactly("sample_0/output/0", "sample_1/output/0", "sample_1/input/1");
  }

  @Test
  void firstTasksKeepsOnlyTheirAnswers() throws Exception {
    writeTwoTasks();

    CruxEvalData first = CruxEvalData.load(dir).firstTasks(1);

    assertThat(first.tasks()).hasSize(1);
    assertThat(first.answers()).extracting(RecordedAnswer::id)
        .containsExactly("sample_0/output/0", "sample_0/output/1", "sample_0/input/0");
  }

  @Test
  void aMissingDirectoryOrFileIsAUserError() throws Exception {
    assertThatThrownBy(() -> CruxEvalData.load(dir.resolve("nope")))
        .isInstanceOf(UserError.class).hasMessageContaining("is not a directory");
    Files.writeString(dir.resolve("cruxeval.jsonl"), "");
    assertThatThrownBy(() -> CruxEvalData.load(dir))
        .isInstanceOf(UserError.class).hasMessageContaining("no codellama-7b-output-scored.json in");
  }

  @Test
  void answersWithoutAlignedVerdictsAreAUserError() throws Exception {
    writeTwoTasks();
    Files.writeString(dir.resolve("codellama-7b-input-scored.json"), """
        {"raw_generations": {"sample_0": ["f(1)"], "sample_1": ["f(2)"]},
         "raw_scored_generations": {"sample_0": [true, false], "sample_1": [false]}}""");

    assertThatThrownBy(() -> CruxEvalData.load(dir))
        .isInstanceOf(UserError.class).hasMessageContaining("no aligned answers and verdicts for sample_0");
  }

  private void writeTwoTasks() throws Exception {
    Files.writeString(dir.resolve("cruxeval.jsonl"), """
        {"code": "def f(x):\\n    return x + 1", "input": "1", "output": "2", "id": "sample_0"}
        {"code": "def f(s):\\n    return s * 2", "input": "'a'", "output": "'aa'", "id": "sample_1"}
        """);
    Files.writeString(dir.resolve("codellama-7b-output-scored.json"), """
        {"raw_generations": {"sample_0": ["2", "3"], "sample_1": ["'aa'"]},
         "raw_scored_generations": {"sample_0": [true, false], "sample_1": [true]}, "pass_at_1": 50.0}""");
    Files.writeString(dir.resolve("codellama-7b-input-scored.json"), """
        {"raw_generations": {"sample_0": ["f(2)"], "sample_1": ["f('b')", "f('a')"]},
         "raw_scored_generations": {"sample_0": [false], "sample_1": [false, true]}, "pass_at_1": 50.0}""");
  }
}
