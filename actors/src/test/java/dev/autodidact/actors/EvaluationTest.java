package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.core.task.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of an evaluation's scores: only tasks that fit count, per type. */
class EvaluationTest {

  @Test
  void scoresCountOnlyTasksThatFitAndOnlyTypesThatOccur() {
    List<Evaluation.TaskResult> results = List.of(
        new Evaluation.TaskResult("d0", TaskType.DEDUCTION, true, true, 3, 4),
        new Evaluation.TaskResult("d1", TaskType.DEDUCTION, true, false, 1, 4),
        new Evaluation.TaskResult("d2", TaskType.DEDUCTION, false, false, 0, 0),
        new Evaluation.TaskResult("a0", TaskType.ABDUCTION, false, false, 0, 0));
    Map<TaskType, Evaluation.TypeScore> scores = Evaluation.scores(results);

    assertThat(scores).containsOnlyKeys(TaskType.DEDUCTION, TaskType.ABDUCTION);
    assertThat(scores.get(TaskType.DEDUCTION)).isEqualTo(new Evaluation.TypeScore(3, 2, 0.5, 0.5));
    // Nothing fit: no score, rather than a zero that would read as "all wrong".
    assertThat(scores.get(TaskType.ABDUCTION)).isEqualTo(new Evaluation.TypeScore(1, 0, null, null));
  }

  @Test
  void noSamplesMeansNoMeanAccuracyButStillAPass1() {
    Map<TaskType, Evaluation.TypeScore> scores = Evaluation.scores(List.of(
        new Evaluation.TaskResult("i0", TaskType.INDUCTION, true, true, 0, 0)));
    assertThat(scores.get(TaskType.INDUCTION)).isEqualTo(new Evaluation.TypeScore(1, 1, 1.0, null));
  }
}
