package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSandboxCommandTest {

  @Test
  void aSampleIsSpreadEvenlyInOrder() {
    assertThat(BenchSandboxCommand.spreadPositions(10, 4)).containsExactly(0, 2, 5, 7);
    assertThat(BenchSandboxCommand.spread(List.of("a", "b"), 4)).containsExactly("a", "a", "b", "b");
  }

  @Test
  void eachUnsafeProcessGetsEveryNthCheck() {
    List<String> checks = List.of("0", "1", "2", "3", "4");

    assertThat(UnsafeInProcessChecks.share(checks, 0, 2)).containsExactly("0", "2", "4");
    assertThat(UnsafeInProcessChecks.share(checks, 1, 2)).containsExactly("1", "3");
  }

  @Test
  void designsThatDisagreeOnASharedCheckAreListed() {
    CruxEvalTask task = new CruxEvalTask("sample_0", "def f(): pass", "", "None");
    List<RecordedAnswer> sample = List.of(new RecordedAnswer(task, Prediction.OUTPUT, 0, "None", true),
        new RecordedAnswer(task, Prediction.OUTPUT, 1, "None", true),
        new RecordedAnswer(task, Prediction.OUTPUT, 2, "None", true));
    DesignRun pool = new DesignRun(List.of(true, true, true), 1);
    DesignRun unsafe = new DesignRun(List.of(true, true, true), 1);
    DesignRun fresh = new DesignRun(List.of(true, false), 1);

    assertThat(BenchSandboxCommand.mismatches(sample, List.of(0, 2), pool, unsafe, fresh)).containsExactly(
        Map.of("id", "sample_0/output/2", "pool", true, "unsafe_inprocess", true, "fresh_process", false));
    assertThat(BenchSandboxCommand.mismatches(sample, List.of(0, 2), pool, unsafe, new DesignRun(List.of(true, true), 1)))
        .isEmpty();
  }
}
