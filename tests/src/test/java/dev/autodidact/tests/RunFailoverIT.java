package dev.autodidact.tests;

import static dev.autodidact.tests.ClusterProcesses.eventCounts;
import static dev.autodidact.tests.ClusterProcesses.fresh;
import static dev.autodidact.tests.ClusterProcesses.tail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run hosted by the cluster moves when its nodes die, with nobody restarting anything:
 * three coordinator nodes, two learner nodes, a rollout node and a verifier node, each a JVM
 * of its own on loopback, and `train --cluster --roles client` following the run. The node of
 * the run's learner is killed with SIGKILL between steps, and the next update goes to a
 * learner on the other learner node; then the node that hosts the run is killed between
 * steps, and another coordinator node takes the run over from its journal. The client is
 * killed too, and `train --resume --cluster` follows the run again. The run ends with the
 * metrics, checkpoints and events of the same run on one JVM.
 */
class RunFailoverIT {
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
  void aRunMovesToAnotherCoordinatorWhenItsNodeDiesAndEndsAsOnOneJvm() throws Exception {
    try (EmbeddedPostgresServer database = EmbeddedPostgresServer.start(temp.resolve("cluster-db"))) {
      String url = database.jdbcUrl() + "?user=" + database.user();
      RunDirectory alone = new RunDirectory(temp.resolve("alone"));
      Process reference = train(alone, List.of("--journal-url", url), fresh());
      assertThat(reference.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(reference.exitValue()).as(cluster.log("alone-train")).isZero();

      Map<String, Process> coordinators = new TreeMap<>();
      Process first = node("coordinator-1", "coordinator", null, url);
      String seed = cluster.address(first);
      coordinators.put(seed, first);
      for (String name : List.of("coordinator-2", "coordinator-3")) {
        Process node = node(name, "coordinator", seed, url);
        coordinators.put(cluster.address(node), node);
      }
      List<Process> learners = new ArrayList<>();
      for (String name : List.of("learner-1", "learner-2")) {
        Process node = node(name, "learner", seed, url);
        cluster.address(node);
        learners.add(node);
      }
      cluster.address(node("verifier-1", "verifier", seed, url));
      cluster.address(node("rollout-1", "rollout", seed, url));

      RunDirectory run = new RunDirectory(temp.resolve("clustered"));
      Process client = train(run, List.of("--journal-url", url), withCluster(fresh(), seed));
      String host = awaitHost(run, 0, client);
      Process hostNode = coordinators.get(host);
      String hostName = cluster.name(hostNode);

      // The learner's node dies between steps 1 and 2: the run's next update goes to the
      // learner that starts on the other learner node.
      assertThat(KillAndResumeIT.awaitLine(temp.resolve(hostName + ".log"), 0, "step 2: proposing tasks", hostNode))
          .as(cluster.log(hostName) + cluster.log("clustered-train")).isTrue();
      Process learnerNode = learners.stream().filter(node -> cluster.logContains(node, "learner of run clustered on this node"))
          .findFirst().orElseThrow(() -> new AssertionError("no learner node hosts the run's learner"));
      Process otherLearner = learners.get(1 - learners.indexOf(learnerNode));
      learnerNode.destroyForcibly().waitFor();
      assertThat(KillAndResumeIT.awaitLine(temp.resolve(cluster.name(otherLearner) + ".log"), 0,
          "learner of run clustered on this node", otherLearner)).as(cluster.log(cluster.name(otherLearner))).isTrue();

      // The run's node dies between steps 2 and 3; no one restarts anything.
      assertThat(KillAndResumeIT.awaitLine(temp.resolve(hostName + ".log"), 0, "step 3: proposing tasks", hostNode))
          .as(cluster.log(hostName) + cluster.log("clustered-train")).isTrue();
      long logSoFar = Files.size(run.log());
      hostNode.destroyForcibly().waitFor();
      String newHost = awaitHost(run, logSoFar, client);
      assertThat(newHost).isNotEqualTo(host);
      String newHostName = cluster.name(coordinators.get(newHost));
      assertThat(KillAndResumeIT.awaitLine(temp.resolve(newHostName + ".log"), 0, "run recovered at step 3",
          coordinators.get(newHost))).as(cluster.log(newHostName)).isTrue();

      // The client dies too; the run goes on, and a new client follows it to its end.
      assertThat(KillAndResumeIT.awaitLine(temp.resolve(newHostName + ".log"), 0, "step 4: proposing tasks",
          coordinators.get(newHost))).as(cluster.log(newHostName)).isTrue();
      client.destroyForcibly().waitFor();
      String survivor = coordinators.keySet().stream().filter(a -> !a.equals(host)).findFirst().orElseThrow();
      Process resumed = train(run, List.of(), withCluster(List.of("--resume"), survivor));
      assertThat(resumed.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(resumed.exitValue()).as(cluster.log("clustered-train") + tail(run.log())).isZero();

      assertThat(KillAndResumeIT.withoutTimings(run.metrics()))
          .as("metrics, checkpoint hashes included" + EventLogDiff.firstDifference(database, alone.runId(),
              run.runId())).isEqualTo(KillAndResumeIT.withoutTimings(alone.metrics()));
      assertThat(eventCounts(database, run)).isEqualTo(eventCounts(database, alone));
      // Every step's checkpoint reached the run directory, as on one JVM.
      for (var step : KillAndResumeIT.withoutTimings(run.metrics())) {
        String checkpoint = step.get("checkpoint").asText();
        assertThat(new dev.autodidact.persistence.BlobStore(run.blobs()).contains(checkpoint)).as(checkpoint).isTrue();
      }
      assertThat(cluster.log("rollout-1")).contains("taking inference jobs from");
    }
  }

  /** The host of the run, as the client logs it after byte {@code from} of its log. */
  private String awaitHost(RunDirectory run, long from, Process client) throws Exception {
    assertThat(KillAndResumeIT.awaitLine(run.log(), from, " is hosted by ", client))
        .as(cluster.log("clustered-train") + tail(run.log())).isTrue();
    String text = Files.readString(run.log()).substring((int) from);
    Matcher matcher = Pattern.compile(" is hosted by akka://autodidact@([0-9.]+:[0-9]+)").matcher(text);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  private static List<String> withCluster(List<String> arguments, String seed) {
    List<String> all = new ArrayList<>(arguments);
    all.addAll(List.of("--cluster", seed, "--roles", "client"));
    return all;
  }

  private Process train(RunDirectory dir, List<String> journal, List<String> arguments) throws IOException {
    List<String> all = new ArrayList<>(journal);
    all.addAll(arguments);
    return cluster.train(dir, all);
  }

  /** Coordinators, learners and rollout nodes share the cluster's PostgreSQL. */
  private Process node(String name, String roles, String seed, String journalUrl) throws IOException {
    return cluster.node(name, roles, seed, roles.equals("verifier") ? null : journalUrl, "768m");
  }

}
