package dev.autodidact.tests;

import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs a cluster test starts ({@code autodidact train} and {@code autodidact node}), each
 * with its output in {@code <name>.out} and its log in {@code <name>.log} under the test's
 * directory, and what the test reads back from them.
 */
final class ClusterProcesses {
  private final Path temp;
  private final List<Process> started = new ArrayList<>();
  private final Map<Process, Path> outputs = new HashMap<>();

  ClusterProcesses(Path temp) {
    this.temp = temp;
  }

  /** The arguments of the run every cluster test compares with the same run on one JVM. */
  static List<String> fresh() {
    List<String> arguments = new ArrayList<>(List.of("--steps", Integer.toString(KillAndResumeIT.STEPS),
        "--seed", "3"));
    arguments.addAll(List.of(KillAndResumeIT.SETTINGS));
    return arguments;
  }

  /** {@code autodidact train --out DIR ARGUMENTS} in a JVM of its own, output in {@code <dir name>-train.out}. */
  Process train(RunDirectory dir, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>(java("1g"));
    command.addAll(List.of("train", "--out", dir.root().toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.appendTo(temp.resolve(dir.root().getFileName() + "-train.out").toFile()));
    builder.environment().put("AUTODIDACT_HOME", temp.resolve("home").toString());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  /**
   * {@code autodidact node --roles ROLES}, joining {@code seed} (null: the first node), with the
   * cluster's journal when {@code journalUrl} is not null.
   */
  Process node(String name, String roles, String seed, String journalUrl, String heap) throws IOException {
    List<String> command = new ArrayList<>(java(heap));
    command.addAll(List.of("node", "--roles", roles, "--log", temp.resolve(name + ".log").toString()));
    if (seed != null) {
      command.addAll(List.of("--seed", seed));
    }
    if (journalUrl != null) {
      command.addAll(List.of("--journal-url", journalUrl));
    }
    Process node = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve(name + ".out").toFile()).start();
    started.add(node);
    outputs.put(node, temp.resolve(name + ".out"));
    return node;
  }

  /** Every process started so far, in order. */
  List<Process> started() {
    return started;
  }

  /** The HOST:PORT a node printed once it was up. */
  String address(Process node) throws Exception {
    return NodeProcesses.awaitAddress(node, outputs.get(node));
  }

  /** The name a node was started with. */
  String name(Process node) {
    return outputs.get(node).getFileName().toString().replace(".out", "");
  }

  boolean logContains(Process node, String line) {
    try {
      Path file = temp.resolve(name(node) + ".log");
      return Files.exists(file) && Files.readString(file).contains(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a process printed and logged. */
  String log(String name) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String suffix : List.of(".out", ".log")) {
      Path file = temp.resolve(name + suffix);
      if (Files.exists(file)) {
        text.append(Files.readString(file));
      }
    }
    return text.toString();
  }

  /** The last lines of a log, for a failure's message. */
  static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return "\n--- last lines of " + log + ":\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  static Map<String, Long> eventCounts(EmbeddedPostgresServer server, RunDirectory dir) throws Exception {
    return new TreeMap<>(JournalStats.countEventsByType(
        server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + dir.runId()));
  }

  /** Kills what is left; with -Dautodidact.test.keepLogs=DIR, keeps every process's output and log there. */
  void stopAll() throws Exception {
    for (Process process : started) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String keep = System.getProperty("autodidact.test.keepLogs");
    if (keep != null) {
      try (var files = Files.walk(temp)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".log")).toList()) {
          Path copy = Path.of(keep).resolve(temp.relativize(file));
          Files.createDirectories(copy.getParent());
          Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static List<String> java(String heap) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-Dai.djl.offline=true", "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
        "dev.autodidact.cli.Main");
  }
}
