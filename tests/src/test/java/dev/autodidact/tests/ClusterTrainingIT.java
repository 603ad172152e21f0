package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.cli.BaseModels;
import dev.autodidact.cli.LocalRun;
import dev.autodidact.cli.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run in a cluster whose verification runs on other JVMs' sandboxes: two verifier
 * nodes, each a JVM of its own ({@code autodidact node --roles verifier}), and the run in this
 * JVM holding the other roles without a sandbox of its own. One verifier node is killed with
 * SIGKILL while the run goes on; the run ends exactly as the same run on one JVM does.
 *
 * <p>The tiny model of the suite proposes no well-formed task, so here the verifier nodes get
 * no job: this test covers the run's membership (joining, a member killed and downed under
 * it); {@code VerifierNodesIT} covers jobs on killed nodes, and the README's cluster example
 * runs the default model with verifier nodes doing all the verification.
 */
class ClusterTrainingIT {

  @TempDir
  Path temp;

  private final List<Process> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (Process node : nodes) {
      node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRunVerifiedOnVerifierNodesSurvivesAKilledNodeAndEndsAsOnOneJvm() throws Exception {
    RunSettings settings = TrainingLoopIT.tinySettings();
    BaseModels baseModels = new BaseModels(temp.resolve("home"));
    List<StepMetrics> alone = LocalRun.train(new RunDirectory(temp.resolve("alone")), settings, baseModels, false,
        Observers.SILENT);

    String seed = address(startNode(null, "first"));
    Process doomed = startNode(seed, "doomed");
    address(doomed);
    RunDirectory clustered = new RunDirectory(temp.resolve("clustered"));
    LocalRun.Membership membership = new LocalRun.Membership(List.of("coordinator", "learner", "rollout"),
        "127.0.0.1", seed);
    CompletableFuture<List<StepMetrics>> run = CompletableFuture.supplyAsync(() -> {
      try {
        return LocalRun.train(clustered, settings, baseModels, false, null, membership, Observers.SILENT);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(clustered.metrics()) && !run.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    doomed.destroyForcibly(); // SIGKILL after the first step: its leases go to the other node
    List<StepMetrics> metrics = run.get(10, TimeUnit.MINUTES);

    assertThat(TrainingLoopIT.withoutWallTime(metrics)).isEqualTo(TrainingLoopIT.withoutWallTime(alone));
    assertThat(Files.readString(temp.resolve("first.log"))).contains("Sandbox pool started");
  }

  private Process startNode(String seed, String name) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dai.djl.offline=true", "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), "dev.autodidact.cli.Main", "node", "--roles", "verifier",
        "--log", temp.resolve(name + ".log").toString()));
    if (seed != null) {
      command.addAll(List.of("--seed", seed));
    }
    Process node = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve(name + ".out").toFile()).start();
    nodes.add(node);
    outputs.add(temp.resolve(name + ".out"));
    return node;
  }

  private final List<Path> outputs = new ArrayList<>();

  /** The HOST:PORT a started node prints once it is up. */
  private String address(Process node) throws Exception {
    return NodeProcesses.awaitAddress(node, outputs.get(nodes.indexOf(node)));
  }
}
