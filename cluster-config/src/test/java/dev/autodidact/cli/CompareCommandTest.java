package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareCommandTest {
  private static JsonNode json(String text) throws Exception {
    return MetricsFiles.JSON.readTree(text);
  }

  @Test
  void numbersShowTheirDifferenceFromTheFirstRun() throws Exception {
    String table = CompareCommand.table(List.of("runs/a", "runs/b"), List.of(
        json("{\"steps\": 20, \"mean_dp_accuracy\": 0.5, \"model\": \"small\"}"),
        json("{\"steps\": 20, \"mean_dp_accuracy\": 0.625, \"model\": \"small\", \"extra\": null}")));
    assertThat(table.lines().toList()).containsExactly(
        "key               runs/a  runs/b",
        "steps             20      20",
        "mean_dp_accuracy  0.5000  0.6250 (+0.1250)",
        "model             small   small",
        "extra             -       -");
  }

  @Test
  void aRunWithoutASummaryIsRefusedInOneLine() {
    assertThat(Main.run("compare", "/nonexistent/a", "/nonexistent/b")).isEqualTo(2);
  }
}
