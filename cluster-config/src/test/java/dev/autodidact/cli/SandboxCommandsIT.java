package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sandbox} and {@code bench} commands end to end through {@link Main}, with real
 * Python workers and the CRUXEval data in {@code shared/data/cruxeval} beside the checkout.
 */
class SandboxCommandsIT {
  static final String JOBS = """
      {"id": "sum", "code": "def f(xs, y):\\n    return xs + [y]", "input": "[1, 2], 3"}
      {"id": "loop", "code": "def f():\\n    while True:\\n        pass", "input": ""}
      this is not json
      {"id": "print", "code": "def f(s):\\n    print('hi')\\n    return s.upper()", "input": "'abc'"}
      {"code": "def f(x):\\n    return 1 / x", "input": "0"}
      {"id": "no input", "code": "def f():\\n    pass"}
      """;

  @TempDir
  Path temp;

  record Run(int exitCode, String stdout) {
    JsonNode json() throws Exception {
      return MetricsFiles.JSON.readTree(stdout);
    }

    List<JsonNode> jsonLines() throws Exception {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : stdout.strip().split("\n")) {
        lines.add(MetricsFiles.JSON.readTree(line));
      }
      return lines;
    }
  }

  @Test
  void runPrintsOneLinePerJobInInputOrderAndNeverAbortsOnABadLine() throws Exception {
    Path jobs = Files.writeString(temp.resolve("jobs.jsonl"), JOBS);

    Run run = main(null, "sandbox", "run", "--jsonl", jobs.toString(), "--workers", "2", "--timeout-ms", "1000");

    assertThat(run.exitCode()).isZero();
    List<JsonNode> lines = run.jsonLines();
    assertThat(lines).extracting(line -> line.get("status").asText())
        .containsExactly("ok", "timeout", "rejected", "ok", "error", "rejected");
    assertThat(lines).extracting(line -> line.get("id").isNull() ? null : line.get("id").asText())
        .containsExactly("sum", "loop", null, "print", null, "no input");
    assertThat(lines.get(0).get("result").asText()).isEqualTo("[1, 2, 3]");
    assertThat(lines.get(2).get("error").asText()).startsWith("malformed line 3: not JSON");
    assertThat(lines.get(3).get("stdout").asText()).isEqualTo("hi\n");
    assertThat(lines.get(4).get("error").asText()).startsWith("ZeroDivisionError");
    for (JsonNode line : lines) {
      assertThat(line.fieldNames()).toIterable().containsExactly("id", "status", "result", "stdout", "error", "wall_ms");
    }
  }

  @Test
  void runReadsStandardInputForADash() throws Exception {
    Run run = main("{\"id\": \"a\", \"code\": \"def f(x):\\n    return x * 2\", \"input\": \"21\"}\n",
        "sandbox", "run", "--jsonl", "-", "--workers", "1");

    assertThat(run.exitCode()).isZero();
    assertThat(run.jsonLines()).singleElement().satisfies(line -> assertThat(line.get("result").asText()).isEqualTo("42"));
  }

  @Test
  void aMissingJobsFileIsAUserError() throws Exception {
    assertThat(main(null, "sandbox", "run", "--jsonl", temp.resolve("nope.jsonl").toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void checkAgreesWithTheBenchmarkOnTheFirstTasks() throws Exception {
    Run run = main(null, "sandbox", "check", "--limit", "20", "--workers", "2");

    assertThat(run.exitCode()).isZero();
    JsonNode report = run.json();
    assertThat(report.get("tasks").asInt()).isEqualTo(20);
    assertThat(report.get("total").asInt()).isEqualTo(400);
    assertThat(report.get("disagreements")).isEmpty();
    assertThat(report.get("agreement").asDouble()).isEqualTo(1.0);
  }

  @Test
  void benchMeasuresAllThreeDesignsOnTheSameChecks() throws Exception {
    Run run = main(null, "bench", "sandbox", "--checks", "40", "--fresh-checks", "4");

    assertThat(run.exitCode()).isZero();
    JsonNode report = run.json();
    for (String key : List.of("pool_per_s", "fresh_process_per_s", "unsafe_inprocess_per_s", "speedup_vs_fresh",
        "fraction_of_unsafe", "load_average", "cores", "checks", "workers")) {
      assertThat(report.has(key)).as(key).isTrue();
    }
    assertThat(report.get("checks").asInt()).isEqualTo(40);
    assertThat(report.get("fresh_process_checks").asInt()).isEqualTo(4);
    assertThat(report.get("verdicts_agree").asBoolean()).isTrue();
    assertThat(report.get("pool_passed").asInt()).isEqualTo(40);
  }

  /** Runs the CLI as the launcher would, with stdin given (or none) and stdout captured. */
  private static Run main(String stdin, String... args) {
    PrintStream originalOut = System.out;
    InputStream originalIn = System.in;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      if (stdin != null) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      }
      int exitCode = Main.run(args);
      return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setIn(originalIn);
    }
  }
}
