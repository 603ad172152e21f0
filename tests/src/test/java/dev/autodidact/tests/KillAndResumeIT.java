package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training JVM killed with SIGKILL ten times, each at a chosen point of a short run (before
 * the run's first event, at the start of every phase, as a checkpoint write begins),
 * and resumed each time, ends exactly where an uninterrupted run of the same seed ends: the
 * same metrics (timings aside), the same checkpoints, and every phase's event journaled once.
 */
class KillAndResumeIT {
  static final int STEPS = 4;
  static final String[] SETTINGS = {
      "--set", "model.preset=tiny",
      "--set", "tasks.batch_per_type=2", "--set", "tasks.rollouts=4", "--set", "tasks.seed_tasks_per_type=2",
      "--set", "pretrain.corpus_programs=40", "--set", "pretrain.steps=12", "--set", "pretrain.batch=8",
      "--set", "pretrain.warmup_steps=2"};
  /**
   * Lines of the run's log after which each JVM is killed, in the order the run reaches them:
   * the kill lands while that work is under way (a few milliseconds later).
   */
  static final List<String> KILL_POINTS = List.of(
      "seed tasks",                                 // run set up, its first event not yet journaled
      "step 1: proposing tasks",
      "step 1: validating proposals",
      "step 1: sampling rollouts",
      "step 1: verifying rollouts",
      "step 2: deciding limit breaks",
      "step 2: solving selected tasks externally",
      "step 2: updating the policy",
      "step 2: writing checkpoint",                 // as the blob store's write begins
      "step 3: assigning rewards");

  @TempDir
  Path temp;

  /**
   * The embedded journal dies with the JVM (its PostgreSQL is stopped hard, and found again on
   * resume); an external one, here a server this test owns, outlives it, as a cluster's would.
   */
  @ParameterizedTest(name = "journal: {0}")
  @ValueSource(strings = {"embedded", "external"})
  void tenKillsAndResumesEndExactlyWhereAnUninterruptedRunEnds(String journal) throws Exception {
    if (journal.equals("external")) {
      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(temp.resolve("external-db"))) {
        journalUrl = server.jdbcUrl() + "?user=" + server.user();
        killAndResume(server);
      }
    } else {
      killAndResume(null);
    }
  }

  /** The runs' --journal-url; null: each run's embedded journal. */
  private String journalUrl;

  /** {@code external}: the server holding the runs' journals; null: each run's embedded one. */
  private void killAndResume(EmbeddedPostgresServer external) throws Exception {
    Path home = temp.resolve("home");
    RunDirectory straight = new RunDirectory(temp.resolve("straight"));
    RunDirectory killed = new RunDirectory(temp.resolve("killed"));
    assertThat(train(home, straight, false).waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readAllLines(straight.metrics())).hasSize(STEPS);

    boolean resume = false;
    List<String> killedAt = new ArrayList<>();
    for (String point : KILL_POINTS) {
      long logStart = Files.exists(killed.log()) ? Files.size(killed.log()) : 0;
      Process process = train(home, killed, resume);
      if (awaitLine(killed.log(), logStart, point, process)) {
        process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        killedAt.add(point);
      }
      resume = resume || killed.holdsRun();
    }
    assertThat(killedAt).as("every kill point was reached and killed at").isEqualTo(KILL_POINTS);
    Process last = train(home, killed, resume);
    assertThat(last.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(last.exitValue()).as(Files.readString(temp.resolve("train.log"))).isZero();

    assertThat(withoutTimings(killed.metrics())).isEqualTo(withoutTimings(straight.metrics()));
    assertThat(eventCounts(killed, external)).isEqualTo(eventCounts(straight, external));
    assertThat(eventCounts(killed, external)).containsEntry("PolicyUpdated", (long) STEPS);
    if (external != null) {
      assertThat(killed.journal()).doesNotExist();
    }
  }

  /**
   * Waits until {@code line} appears in {@code log} after byte {@code from}; false if the
   * process ends first.
   */
  static boolean awaitLine(Path log, long from, String line, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        byte[] bytes = Files.readAllBytes(log);
        if (bytes.length > from
            && new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.UTF_8).contains(line)) {
          return true;
        }
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(2);
    }
    process.destroyForcibly().waitFor();
    return false;
  }

  /** {@code autodidact train} in a JVM of its own, as the launcher runs it. */
  private Process train(Path home, RunDirectory dir, boolean resume) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        // The launcher's logging (the run's train.log), not the test classpath's console-only one.
        "-Dlogback.configurationFile=logback.xml",
        "dev.autodidact.cli.Main", "train", "--out", dir.root().toString()));
    if (journalUrl != null) {
      command.addAll(List.of("--journal-url", journalUrl));
    }
    if (resume) {
      command.add("--resume");
    } else {
      command.addAll(List.of("--steps", Integer.toString(STEPS), "--seed", "3"));
      command.addAll(List.of(SETTINGS));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("train.log").toFile()));
    builder.environment().put("AUTODIDACT_HOME", home.toString());
    return builder.start();
  }

  private static Map<String, Long> eventCounts(RunDirectory dir, EmbeddedPostgresServer external) throws Exception {
    if (external != null) {
      return counts(external, dir);
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.journal())) {
      return counts(server, dir);
    }
  }

  private static Map<String, Long> counts(EmbeddedPostgresServer server, RunDirectory dir) throws Exception {
    return new TreeMap<>(JournalStats.countEventsByType(
        server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + dir.runId()));
  }

  static List<JsonNode> withoutTimings(Path metrics) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      ObjectNode node = (ObjectNode) json.readTree(line);
      node.remove("wall_s");
      out.add(node);
    }
    return out;
  }
}
