package dev.autodidact.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TaskFormatTest {
  private final TaskFormat format = new TaskFormat(8, 2, 6);
  private final String program = "def f(x):\n    return x + 1\n";

  @Test
  void generatorAnswerRoundTrips() {
    Proposal proposal = new Proposal(TaskType.DEDUCTION, program, List.of("3"), "", 5);
    String text = format.generatorAnswer(proposal);
    assertThat(text).isEqualTo("def f(x):\n    return x + 1\n@in 3\n@k 5\n");
    assertThat(format.parseGeneratorAnswer(TaskType.DEDUCTION, text).value()).isEqualTo(proposal);
  }

  @Test
  void inductionAnswerCarriesInputsAndMessage() {
    Proposal proposal = new Proposal(TaskType.INDUCTION, program, List.of("1", "2", "3"), "int -> int", 2);
    Parsed<Proposal> parsed = format.parseGeneratorAnswer(TaskType.INDUCTION, format.generatorAnswer(proposal));
    assertThat(parsed.value()).isEqualTo(proposal);
  }

  @Test
  void malformedGeneratorAnswersSayWhy() {
    assertThat(format.parseGeneratorAnswer(TaskType.DEDUCTION, "@in 3\n@k 1\n").error()).contains("no program");
    assertThat(format.parseGeneratorAnswer(TaskType.DEDUCTION, program + "@in 3\n").error()).contains("@k");
    assertThat(format.parseGeneratorAnswer(TaskType.DEDUCTION, program + "@in 3\n@k 9\n").error()).contains("0..8");
    assertThat(format.parseGeneratorAnswer(TaskType.DEDUCTION, program + "@in 3\n@in 4\n@k 1\n").error())
        .contains("1..1");
    assertThat(format.parseGeneratorAnswer(TaskType.INDUCTION, program + "@in 3\n@in 3\n@k 1\n").error())
        .contains("distinct");
  }

  @Test
  void solverPromptsEndWhereTheAnswerBegins() {
    Task deduction = new Task("t", TaskType.DEDUCTION, program, List.of("3"), List.of("4"), "", 4);
    assertThat(format.solverPrompt(deduction)).isEqualTo("@ded\n" + program + "@in 3\n@out ");
    Task abduction = new Task("t", TaskType.ABDUCTION, program, List.of("3"), List.of("4"), "", 4);
    assertThat(format.solverPrompt(abduction)).isEqualTo("@abd\n" + program + "@out 4\n@in ");
    Task induction = new Task("t", TaskType.INDUCTION, program, List.of("1", "2", "3"), List.of("2", "3", "4"), "m", 4);
    assertThat(format.solverPrompt(induction)).isEqualTo("@ind\n@msg m\n@in 1\n@out 2\n@in 2\n@out 3\n@prog\n");
    assertThat(format.goldSolverAnswer(induction)).isEqualTo(program);
  }

  @Test
  void solverAnswersMustHaveTheirShape() {
    assertThat(format.parseSolverAnswer(TaskType.DEDUCTION, "4\n").value()).isEqualTo("4");
    assertThat(format.parseSolverAnswer(TaskType.DEDUCTION, "4\n5\n").isOk()).isFalse();
    assertThat(format.parseSolverAnswer(TaskType.ABDUCTION, "  \n").isOk()).isFalse();
    assertThat(format.parseSolverAnswer(TaskType.INDUCTION, "return 1").isOk()).isFalse();
  }

  @Property
  void garbageNeverThrows(@ForAll String garbage) {
    for (TaskType type : TaskType.values()) {
      Parsed<Proposal> proposal = format.parseGeneratorAnswer(type, garbage);
      assertThat(proposal.isOk() || proposal.error() != null).isTrue();
      Parsed<String> answer = format.parseSolverAnswer(type, garbage);
      assertThat(answer.isOk() || answer.error() != null).isTrue();
    }
  }
}
