package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.sandbox.ExecResult;
import dev.autodidact.sandbox.Status;
import org.junit.jupiter.api.Test;

class JobReportTest {

  @Test
  void statusesAreSpelledInLowerCase() {
    assertThat(JobReport.statusName(Status.OK)).isEqualTo("ok");
    assertThat(JobReport.statusName(Status.OUTPUT_LIMIT)).isEqualTo("output_limit");
    assertThat(java.util.Arrays.stream(Status.values()).map(JobReport::statusName))
        .containsExactly("ok", "error", "timeout", "memory", "output_limit", "crashed", "rejected");
  }

  @Test
  void aLineHasTheDocumentedFieldsInOrder() throws Exception {
    JobReport report = JobReport.of("a", new ExecResult(Status.OK, "[1, 2, 3]", "hi\n", null, 12, 1));

    assertThat(MetricsFiles.JSON.writeValueAsString(report)).isEqualTo(
        "{\"id\":\"a\",\"status\":\"ok\",\"result\":\"[1, 2, 3]\",\"stdout\":\"hi\\n\",\"error\":null,\"wall_ms\":12}");
  }

  @Test
  void aMalformedLineIsRejectedWithItsReasonAndNoTime() throws Exception {
    JobReport report = JobReport.rejected(null, "malformed line 3: not JSON");

    assertThat(MetricsFiles.JSON.writeValueAsString(report)).isEqualTo(
        "{\"id\":null,\"status\":\"rejected\",\"result\":null,\"stdout\":\"\",\"error\":\"malformed line 3: not JSON\",\"wall_ms\":0}");
  }
}
