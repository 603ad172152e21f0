package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.VerifierWorker;
import dev.autodidact.actors.WorkQueue;
import dev.autodidact.cli.ClusterSecurity;
import dev.autodidact.cli.ClusterNodes;
import dev.autodidact.persistence.proto.cluster.CheckDeduction;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifier nodes as real processes ({@code autodidact node --roles verifier}, each its own
 * JVM with its own sandbox) pulling a run's jobs from a queue in this JVM, over TLS with
 * mutual authentication: one node is killed with SIGKILL in the middle of the work, another
 * (serving health endpoints) stopped with SIGTERM, a third joins; every job is answered
 * exactly once, with the verdict it must have.
 */
class VerifierNodesIT {
  static final int JOBS = 600;

  @TempDir
  Path temp;

  private final List<Process> nodes = new ArrayList<>();
  private ActorSystem<WorkQueue.Command> coordinator;

  @AfterEach
  void stop() throws Exception {
    if (coordinator != null) {
      System.err.println("VerifierNodesIT queue at the end: " + stats());
    }
    try (var files = Files.list(temp)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        System.err.println("--- " + file.getFileName() + " (last lines)");
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.err::println);
      }
    }
    for (Process node : nodes) {
      node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (coordinator != null) {
      coordinator.terminate();
      coordinator.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void aKilledNodesJobsGoToOthersAndEveryJobCountsOnce() throws Exception {
    makeStores();
    coordinator = ActorSystem.create(VerifierWorker.queue(Duration.ofSeconds(30)), "autodidact",
        ClusterSecurity.of(temp.resolve("node.p12"), temp.resolve("trust.p12"), temp.resolve("password")).config()
        .withFallback(ClusterNodes.config(List.of("coordinator"), "127.0.0.1", 0, null))
        .withFallback(ConfigFactory.parseString("akka.loglevel = WARNING"))
        .withFallback(ConfigFactory.load()).resolve());
    Cluster cluster = Cluster.get(coordinator);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    String seed = "127.0.0.1:" + cluster.selfMember().address().getPort().get();

    Process killed = startNode(seed, "killed");
    int managementPort = NodeProcesses.freePort();
    Process stopped = startNode(seed, "stopped", "--management-port", Integer.toString(managementPort));
    Await.until(() -> stats().workers() == 2, "two verifier nodes");
    Await.until(() -> NodeProcesses.status(managementPort, "/ready") == 200, "the node's readiness endpoint answers 200");
    assertThat(NodeProcesses.status(managementPort, "/alive")).isEqualTo(200);

    // A batch during which one node is killed with SIGKILL.
    CompletableFuture<List<VerificationResult>> first = submit("a");
    // Both nodes must have done work before one is killed: the test counts three workers at the
    // end, and a node killed before its first verdict would leave nothing to count.
    Await.until(() -> stats().completed() >= 30 && stats().completedByWorker().size() == 2,
        "30 jobs done, some by each node");
    killed.destroyForcibly(); // SIGKILL in the middle of its leases
    checkVerdicts(first.get(5, TimeUnit.MINUTES));
    Await.until(() -> stats().workers() == 1, "the killed node downed and out of the queue's listing");
    // Any node serves the cluster's work metrics: the queue lives in this JVM, the answer comes from a node's.
    Await.until(() -> NodeProcesses.body(managementPort, "/metrics").contains("autodidact_workers{kind=\"verification\"} 1\n"),
        "the node's /metrics counts one verifier worker");
    String queue = "akka://autodidact@" + seed + "/user";
    assertThat(NodeProcesses.body(managementPort, "/metrics"))
        .contains("autodidact_queue_completed_total{kind=\"verification\",queue=\"" + queue + "\"} "
            + JOBS + "\n")
        .contains("autodidact_queue_waiting{kind=\"verification\",queue=\"" + queue + "\"} 0\n")
        .contains("autodidact_workers{kind=\"inference\"} 0\n")
        .contains("# TYPE autodidact_queue_completed_total counter");

    // A node joins; a second batch, during which another node is stopped with SIGTERM.
    startNode(seed, "joined");
    Await.until(() -> stats().workers() == 2, "the joined node in the queue's listing");
    CompletableFuture<List<VerificationResult>> second = submit("b");
    Await.until(() -> stats().completedByWorker().size() == 3, "the joined node has done a job");
    stopped.destroy(); // SIGTERM: hands back its leases and leaves
    checkVerdicts(second.get(5, TimeUnit.MINUTES));

    WorkQueue.Stats stats = stats();
    assertThat(stats.completed()).isEqualTo(2 * JOBS);
    assertThat(stats.completedByWorker().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2 * JOBS);
    assertThat(stats.completedByWorker()).hasSize(3); // all three nodes did some of the work
    assertThat(stopped.waitFor(1, TimeUnit.MINUTES)).as("SIGTERM ends the node").isTrue();
  }

  private CompletableFuture<List<VerificationResult>> submit(String batch) {
    return AskPattern.<WorkQueue.Command, List<VerificationResult>>ask(coordinator,
        replyTo -> new WorkQueue.Submit<>(jobs(batch), replyTo), Duration.ofMinutes(5),
        coordinator.scheduler()).toCompletableFuture();
  }

  private static void checkVerdicts(List<VerificationResult> verdicts) {
    assertThat(verdicts).hasSize(JOBS);
    for (int i = 0; i < JOBS; i++) {
      assertThat(verdicts.get(i).getVerdict()).as("job %d", i).isEqualTo(i % 3 == 0 ? Verdict.WRONG : Verdict.CORRECT);
    }
  }

  /** Deduction checks of a small string program; every third answer is wrong. */
  private static List<VerificationJob> jobs(String batch) {
    List<VerificationJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      String word = "w" + i;
      String right = "'" + new StringBuilder(word).reverse() + "!'";
      // About 10 ms of work each, so that the work outlasts the membership changes.
      jobs.add(VerificationJob.newBuilder().setJobId(batch + i).setDeduction(CheckDeduction.newBuilder()
          .setProgram("def f(s):\n    for _ in range(200000):\n        pass\n    return s[::-1] + '!'\n")
          .setInput("'" + word + "'")
          .setAnswer(i % 3 == 0 ? "'nope'" : right)).build());
    }
    return jobs;
  }

  private Process startNode(String seed, String name, String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dai.djl.offline=true", "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), "dev.autodidact.cli.Main", "node", "--roles", "verifier",
        "--seed", seed, "--log", temp.resolve(name + ".log").toString(),
        "--set", "sandbox.workers=1", "--set", "sandbox.min_workers=1",
        "--tls-key-store", temp.resolve("node.p12").toString(), "--tls-trust-store", temp.resolve("trust.p12").toString(),
        "--tls-password-file", temp.resolve("password").toString()));
    command.addAll(List.of(options));
    Process node = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(temp.resolve(name + ".out").toFile()).start();
    nodes.add(node);
    return node;
  }

  /** A self-signed key for every node and a trust store holding its certificate, as an operator would make. */
  private void makeStores() throws Exception {
    Files.writeString(temp.resolve("password"), "not-a-secret\n");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    keytool(keytool, "-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=autodidact-node", "-storetype", "PKCS12", "-keystore", temp.resolve("node.p12").toString(),
        "-storepass", "not-a-secret", "-keypass", "not-a-secret");
    keytool(keytool, "-exportcert", "-alias", "node", "-keystore", temp.resolve("node.p12").toString(),
        "-storepass", "not-a-secret", "-file", temp.resolve("node.cer").toString());
    keytool(keytool, "-importcert", "-noprompt", "-alias", "node", "-file", temp.resolve("node.cer").toString(),
        "-storetype", "PKCS12", "-keystore", temp.resolve("trust.p12").toString(), "-storepass", "not-a-secret");
  }

  private static void keytool(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  private WorkQueue.Stats stats() {
    return AskPattern.<WorkQueue.Command, WorkQueue.Stats>ask(coordinator,
        WorkQueue.GetStats::new, Duration.ofSeconds(10), coordinator.scheduler()).toCompletableFuture().join();
  }
}
