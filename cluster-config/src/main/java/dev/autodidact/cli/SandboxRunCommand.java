package dev.autodidact.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autodidact.sandbox.SandboxPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code autodidact sandbox run}: run a stream of jobs through the sandbox, one JSON line out per line in. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run jobs {\"id\", \"code\", \"input\"} (one JSON object a line; code defines f, input is"
        + " f's argument list as Python source) in the sandbox and print, in input order, one line"
        + " {\"id\", \"status\", \"result\", \"stdout\", \"error\", \"wall_ms\"} per job (result: repr of f(input)).",
        "A malformed line gives a rejected line. Exits 0 when the sandbox worked, whatever the jobs did."})
final class SandboxRunCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--jsonl", required = true, paramLabel = "FILE", description = "the jobs; - reads standard input")
  String jsonl;

  @Mixin
  PoolOptions poolOptions;

  @Override
  public Integer call() throws Exception {
    Main.logTo(BaseModels.defaultHome().resolve("autodidact.log"));
    PrintWriter out = spec.commandLine().getOut();
    try (BufferedReader jobs = open(jsonl);
         SandboxPool pool = poolOptions.start();
         InOrderWindow<JobReport> window = new InOrderWindow<>(poolOptions.window(), report -> print(out, report))) {
      long lineNumber = 0;
      for (String line = jobs.readLine(); line != null; line = jobs.readLine()) {
        lineNumber++;
        if (!line.isBlank()) {
          JobLine parsed = JobLine.parse(line, lineNumber);
          window.submit(() -> run(pool, parsed));
        }
      }
      window.finish();
    } catch (ReaderGone e) {
      // Like any filter in a pipe (| head): the reader has what it wanted, the sandbox worked.
      return 0;
    }
    return 0;
  }

  /** Standard output was closed by its reader. */
  private static final class ReaderGone extends RuntimeException {
    ReaderGone() {
      super("standard output is closed", null, false, false);
    }
  }

  static CompletableFuture<JobReport> run(SandboxPool pool, JobLine line) {
    if (line instanceof JobLine.Job job) {
      return pool.evaluate(job.code(), job.expression()).thenApply(outcome -> JobReport.of(job.id(), outcome));
    }
    JobLine.Malformed malformed = (JobLine.Malformed) line;
    return CompletableFuture.completedFuture(JobReport.rejected(malformed.id(), malformed.reason()));
  }

  private static void print(PrintWriter out, JobReport report) {
    try {
      out.println(MetricsFiles.JSON.writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
    }
    out.flush();
    // A reader that went away (| head) ends the run instead of letting it compute for nobody. The
    // writer may wrap System.out, a PrintStream that keeps write errors to itself.
    if (out.checkError() || System.out.checkError()) {
      throw new ReaderGone();
    }
  }

  /** Bytes that are not UTF-8 become U+FFFD, so such a line is judged on its own instead of ending the run. */
  private static BufferedReader open(String jsonl) throws IOException {
    if (jsonl.equals("-")) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    Path file = Path.of(jsonl);
    if (Files.isDirectory(file)) {
      throw new UserError("--jsonl " + jsonl + " is a directory; pass a file of JSON lines, or - for standard input");
    }
    try {
      return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new UserError("--jsonl " + jsonl + " does not exist; pass a file of JSON lines, or - for standard input");
    }
  }
}
