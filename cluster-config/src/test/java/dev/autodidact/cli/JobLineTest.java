package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobLineTest {

  @Test
  void aWellFormedLineIsAJobThatCallsFWithItsInput() {
    JobLine line = JobLine.parse("{\"id\": \"a\", \"code\": \"def f(x, y):\\n    return x + y\", \"input\": \"[1, 2], 3\"}", 1);

    assertThat(line).isEqualTo(new JobLine.Job("a", "def f(x, y):\n    return x + y", "[1, 2], 3"));
    assertThat(((JobLine.Job) line).expression()).isEqualTo("f([1, 2], 3)");
  }

  @Test
  void otherFieldsAreIgnoredSoCruxEvalLinesAreJobs() {
    JobLine line = JobLine.parse("{\"code\": \"def f(): pass\", \"input\": \"\", \"output\": \"None\", \"id\": \"sample_0\"}", 1);

    assertThat(line).isEqualTo(new JobLine.Job("sample_0", "def f(): pass", ""));
  }

  @Test
  void anIntegerIdIsKeptAsTextAndAMissingOneIsNull() {
    assertThat(JobLine.parse("{\"id\": 7, \"code\": \"\", \"input\": \"\"}", 1).id()).isEqualTo("7");
    assertThat(JobLine.parse("{\"code\": \"\", \"input\": \"\"}", 1).id()).isNull();
    assertThat(JobLine.parse("{\"id\": null, \"code\": \"\", \"input\": \"\"}", 1).id()).isNull();
  }

  @Test
  void textThatIsNotJsonIsMalformedWithItsLineNumber() {
    JobLine line = JobLine.parse("not json", 3);

    assertThat(line).isInstanceOf(JobLine.Malformed.class);
    assertThat(line.id()).isNull();
    assertThat(((JobLine.Malformed) line).reason()).startsWith("malformed line 3: not JSON").doesNotContain("\n");
  }

  @Test
  void trailingTextAfterTheObjectIsMalformed() {
    assertThat(JobLine.parse("{\"code\": \"\", \"input\": \"\"} {}", 1)).isInstanceOf(JobLine.Malformed.class);
  }

  @Test
  void jsonThatIsNotAnObjectIsMalformed() {
    assertThat(reason(JobLine.parse("[1, 2]", 2))).isEqualTo("malformed line 2: not a JSON object");
    assertThat(reason(JobLine.parse("\"text\"", 2))).isEqualTo("malformed line 2: not a JSON object");
  }

  @Test
  void aMissingOrNonStringCodeOrInputIsMalformedAndKeepsTheId() {
    JobLine noCode = JobLine.parse("{\"id\": \"x\", \"input\": \"1\"}", 4);
    JobLine numericInput = JobLine.parse("{\"id\": \"y\", \"code\": \"def f(x): return x\", \"input\": 1}", 5);

    assertThat(noCode).isEqualTo(new JobLine.Malformed("x", "malformed line 4: \"code\" must be a string"));
    assertThat(numericInput).isEqualTo(new JobLine.Malformed("y", "malformed line 5: \"input\" must be a string"));
  }

  @Test
  void anIdThatIsNeitherTextNorAnIntegerIsMalformed() {
    JobLine line = JobLine.parse("{\"id\": {\"a\": 1}, \"code\": \"\", \"input\": \"\"}", 6);

    assertThat(line).isEqualTo(new JobLine.Malformed(null, "malformed line 6: \"id\" must be a string or an integer"));
  }

  private static String reason(JobLine line) {
    return ((JobLine.Malformed) line).reason();
  }
}
