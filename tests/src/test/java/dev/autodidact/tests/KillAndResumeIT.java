package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training JVM killed with SIGKILL ten times, at moments spread over a short run, and
 * resumed each time, ends exactly where an uninterrupted run of the same seed ends: the same
 * metrics (timings aside), the same checkpoints, and every phase's event journaled once.
 */
class KillAndResumeIT {
  static final int STEPS = 4;
  static final String[] SETTINGS = {
      "--set", "model.preset=tiny",
      "--set", "tasks.batch_per_type=2", "--set", "tasks.rollouts=4", "--set", "tasks.seed_tasks_per_type=2",
      "--set", "pretrain.corpus_programs=40", "--set", "pretrain.steps=12", "--set", "pretrain.batch=8",
      "--set", "pretrain.warmup_steps=2"};
  /** Milliseconds each JVM lives before it is killed: spread over start-up and every phase. */
  static final long[] KILL_AFTER_MS = {2500, 3200, 3900, 4600, 5300, 6000, 4200, 3600, 5000, 2900};

  @TempDir
  Path temp;

  @Test
  void tenKillsAndResumesEndExactlyWhereAnUninterruptedRunEnds() throws Exception {
    Path home = temp.resolve("home");
    RunDirectory straight = new RunDirectory(temp.resolve("straight"));
    RunDirectory killed = new RunDirectory(temp.resolve("killed"));
    assertThat(train(home, straight, false).waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readAllLines(straight.metrics())).hasSize(STEPS);

    boolean resume = false;
    for (long lifetime : KILL_AFTER_MS) {
      Process process = train(home, killed, resume);
      if (!process.waitFor(lifetime, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
      }
      resume = resume || killed.holdsRun();
    }
    Process last = train(home, killed, resume);
    assertThat(last.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(last.exitValue()).as(Files.readString(temp.resolve("train.log"))).isZero();

    assertThat(withoutTimings(killed.metrics())).isEqualTo(withoutTimings(straight.metrics()));
    assertThat(eventCounts(killed)).isEqualTo(eventCounts(straight));
  }

  /** {@code autodidact train} in a JVM of its own, as the launcher runs it. */
  private Process train(Path home, RunDirectory dir, boolean resume) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "dev.autodidact.cli.Main", "train", "--out", dir.root().toString()));
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

  private static Map<String, Long> eventCounts(RunDirectory dir) throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.journal())) {
      return new TreeMap<>(JournalStats.countEventsByType(
          server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + dir.runId()));
    }
  }

  private static List<JsonNode> withoutTimings(Path metrics) throws IOException {
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
