package dev.autodidact.tests;

import static dev.autodidact.tests.ClusterProcesses.eventCounts;
import static dev.autodidact.tests.ClusterProcesses.fresh;
import static dev.autodidact.tests.ClusterProcesses.tail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.PostgresBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's three-node run, every node a JVM of its own on loopback: the run's JVM holds the
 * coordinator and learner roles only, a rollout node samples for it (checkpoints reach it from
 * the cluster's PostgreSQL, by hash) and a verifier node verifies for it. Each is killed with
 * SIGKILL in turn: the rollout node while the run samples, the verifier node mid-step, the
 * learner's node between steps. Replacement nodes join, the run resumes from its journal, and
 * it ends with the metrics, checkpoints and events of the same run on one JVM.
 */
class ClusterRunIT {
  @TempDir
  Path temp;


  private ClusterProcesses cluster;

  @BeforeEach
  void startCluster() {
    cluster = new ClusterProcesses(temp);
  }

  @AfterEach
  void stopAll() throws Exception {
    cluster.stopAll();
  }

  @Test
  void aRunSurvivesKilledRolloutVerifierAndLearnerNodesAndEndsAsOnOneJvm() throws Exception {
    try (EmbeddedPostgresServer database = EmbeddedPostgresServer.start(temp.resolve("cluster-db"))) {
      String url = database.jdbcUrl() + "?user=" + database.user();
      RunDirectory alone = new RunDirectory(temp.resolve("alone"));
      Process reference = train(alone, url, fresh());
      assertThat(reference.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(reference.exitValue()).as(cluster.log("alone-train")).isZero();

      Process verifier1 = node("verifier-1", "verifier", null, url);
      String seed = cluster.address(verifier1);
      Process rollout1 = node("rollout-1", "rollout", seed, url);
      cluster.address(rollout1);
      RunDirectory run = new RunDirectory(temp.resolve("clustered"));
      List<String> clustered = new ArrayList<>(fresh());
      int managementPort = NodeProcesses.freePort();
      clustered.addAll(List.of("--cluster", seed, "--roles", "coordinator,learner", "--management-port",
          Integer.toString(managementPort)));
      Process coordinator = train(run, url, clustered);

      // The only rollout node dies while it samples step 1's proposals. The run waits for
      // another; the jobs go back to the queue once the dead node is downed.
      assertThat(KillAndResumeIT.awaitLine(temp.resolve("rollout-1.log"), 0, "taking inference jobs", rollout1))
          .as(cluster.log("rollout-1") + cluster.log("clustered-train") + tail(run.log())).isTrue();
      String rollout1Address = cluster.address(rollout1);
      rollout1.destroyForcibly().waitFor();
      assertThat(KillAndResumeIT.awaitLine(run.log(), 0, "inference worker", coordinator))
          .as(cluster.log("clustered-train") + tail(run.log())).isTrue();
      assertThat(Files.readString(run.log())).containsPattern("inference worker \\S+ left; [1-9][0-9]* of its jobs go to"
          + " other workers").doesNotContain("step 1: validating proposals");
      awaitRemoved(managementPort, rollout1Address, coordinator);

      // Never two learners on one run: a second JVM that tries to train it is refused in one line.
      RunDirectory sameRun = new RunDirectory(run.root());
      Process second = train(sameRun, null, List.of("--resume"));
      assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(second.exitValue()).isEqualTo(2);
      // The run's host (this JVM, the cluster's only coordinator node) holds the lock.
      assertThat(cluster.log("clustered-train")).contains("is being trained by another process (autodidact run host "
          + run.runId());

      // The verifier node (the cluster's first) dies in the middle of step 1, which waits.
      verifier1.destroyForcibly().waitFor();
      assertThat(KillAndResumeIT.awaitLine(run.log(), 0, "verification worker akka://autodidact@" + seed + " left",
          coordinator)).as(tail(run.log())).isTrue();
      awaitRemoved(managementPort, seed, coordinator);
      String runAddress = runAddress();
      cluster.address(node("verifier-2", "verifier", runAddress, url));
      cluster.address(node("rollout-2", "rollout", runAddress, url));

      // The learner's node dies between steps 2 and 3. It was the cluster's only coordinator, so
      // the other nodes down themselves (exit 3), as their supervisor expects, and start again.
      assertThat(KillAndResumeIT.awaitLine(run.log(), 0, "step 3: proposing tasks", coordinator))
          .as(cluster.log("clustered-train") + tail(run.log())).isTrue();
      coordinator.destroyForcibly().waitFor();
      for (Process orphan : cluster.started().subList(cluster.started().size() - 2, cluster.started().size())) {
        String name = cluster.name(orphan);
        assertThat(orphan.waitFor(3, TimeUnit.MINUTES)).as("a node without a coordinator downs itself").isTrue();
        assertThat(orphan.exitValue()).as(cluster.log(name)).isEqualTo(3);
      }
      String seed3 = cluster.address(node("verifier-3", "verifier", null, url));
      cluster.address(node("rollout-3", "rollout", seed3, url));
      Process resumed = train(run, null, List.of("--resume", "--cluster", seed3, "--roles", "coordinator,learner"));
      assertThat(resumed.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(resumed.exitValue()).as(cluster.log("clustered-train")).isZero();

      assertThat(KillAndResumeIT.withoutTimings(run.metrics()))
          .as("metrics, checkpoint hashes included" + EventLogDiff.firstDifference(database, alone.runId(),
              run.runId())).isEqualTo(KillAndResumeIT.withoutTimings(alone.metrics()));
      assertThat(eventCounts(database, run)).isEqualTo(eventCounts(database, alone));
      assertThat(cluster.log("rollout-2")).contains("taking inference jobs from");
      assertThat(cluster.log("rollout-3")).contains("taking inference jobs from");
      assertThat(Files.readString(run.log())).doesNotContain("taking inference jobs");
      // Weights reached the rollout nodes as content-addressed blobs in the cluster's database.
      PostgresBlobStore shared = PostgresBlobStore.open(database);
      for (JsonNode step : KillAndResumeIT.withoutTimings(run.metrics())) {
        assertThat(shared.contains(step.get("checkpoint").asText())).as("step " + step.get("step")).isTrue();
      }
    }
  }

  /** The HOST:PORT of the run's node, as `train --cluster` prints it. */
  private String runAddress() throws IOException {
    Matcher matcher = Pattern.compile("this JVM's node is ([0-9.]+:[0-9]+) ").matcher(cluster.log("clustered-train"));
    assertThat(matcher.find()).as(cluster.log("clustered-train")).isTrue();
    return matcher.group(1);
  }

  private Process train(RunDirectory dir, String journalUrl, List<String> arguments) throws IOException {
    List<String> all = new ArrayList<>(journalUrl == null ? List.of() : List.of("--journal-url", journalUrl));
    all.addAll(arguments);
    return cluster.train(dir, all);
  }

  /** A node with one role; only rollout nodes use the journal (for weights). */
  private Process node(String name, String role, String seed, String journalUrl) throws IOException {
    return cluster.node(name, role, seed, role.equals("rollout") ? journalUrl : null, "512m");
  }

  /**
   * Waits until the run's node no longer lists {@code address} as a member (SBR downed it and
   * the leader removed it), asking its management endpoint {@code /cluster/members}.
   */
  private void awaitRemoved(int managementPort, String address, Process coordinator) throws Exception {
    String member = "akka://autodidact@" + address;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      String members = NodeProcesses.body(managementPort, "/cluster/members");
      if (members.contains("\"members\"") && !members.contains(member)) {
        return;
      }
      assertThat(coordinator.isAlive()).as(cluster.log("clustered-train")).isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError(member + " still a member after two minutes: " + NodeProcesses.body(managementPort, "/cluster/members"));
  }

}
