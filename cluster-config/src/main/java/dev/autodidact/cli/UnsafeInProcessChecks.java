package dev.autodidact.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The upper bound no sandbox can beat: {@code processes} plain {@code python3} processes, each
 * exec()ing its share of the checks (every {@code processes}-th one) in a loop inside itself, with
 * no isolation (unsafe_exec_loop.py). Only the exec loops are timed, as the scripts report them;
 * they run side by side, so the slowest one's loop is the design's time.
 */
final class UnsafeInProcessChecks {
  private static final String SCRIPT = script();

  private UnsafeInProcessChecks() {}

  static DesignRun run(Path python, Map<String, String> extraEnvironment, List<String> programs, int processes)
      throws IOException, InterruptedException {
    List<Process> started = new ArrayList<>();
    try {
      for (int i = 0; i < processes; i++) {
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-c", SCRIPT)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(extraEnvironment);
        started.add(builder.start());
      }
      // Every process gets its whole batch before any reads its reply, so the loops overlap.
      for (int i = 0; i < processes; i++) {
        try (OutputStream batch = started.get(i).getOutputStream()) {
          batch.write(MetricsFiles.JSON.writeValueAsBytes(share(programs, i, processes)));
        }
      }
      Boolean[] passed = new Boolean[programs.size()];
      double slowestLoop = 0;
      for (int i = 0; i < processes; i++) {
        JsonNode reply = reply(started.get(i));
        slowestLoop = Math.max(slowestLoop, reply.get("seconds").asDouble());
        JsonNode verdicts = reply.get("passed");
        for (int j = 0; j < verdicts.size(); j++) {
          passed[i + j * processes] = verdicts.get(j).asBoolean();
        }
      }
      return new DesignRun(Arrays.asList(passed), slowestLoop);
    } finally {
      started.forEach(Process::destroyForcibly);
    }
  }

  /** Checks i, i + n, i + 2n, ...: every process gets a like mix of the data. */
  static List<String> share(List<String> programs, int index, int processes) {
    List<String> share = new ArrayList<>();
    for (int i = index; i < programs.size(); i += processes) {
      share.add(programs.get(i));
    }
    return share;
  }

  private static JsonNode reply(Process process) throws IOException, InterruptedException {
    byte[] output;
    try (InputStream stdout = process.getInputStream()) {
      output = stdout.readAllBytes();
    }
    int exit = process.waitFor();
    if (exit != 0 || output.length == 0) {
      throw new IllegalStateException("the unsafe in-process baseline failed (python3 exit code " + exit + ")");
    }
    return MetricsFiles.JSON.readTree(output);
  }

  private static String script() {
    try (InputStream in = UnsafeInProcessChecks.class.getResourceAsStream("unsafe_exec_loop.py")) {
      if (in == null) {
        throw new IllegalStateException("unsafe_exec_loop.py is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
