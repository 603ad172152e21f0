package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.VerifierWorker;
import dev.autodidact.actors.WorkQueue;
import dev.autodidact.cli.ClusterNodes;
import dev.autodidact.persistence.proto.cluster.CheckDeduction;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real network partition: two verifier nodes, each a JVM in a network namespace of its own,
 * and the run's queue in this JVM, all joined by a bridge. One node's link is taken down in
 * the middle of the work. The Split Brain Resolver downs it on the majority side, and the
 * node, alone on its side, downs itself and its JVM ends; the jobs it held go to the other
 * node and each counts once. Needs root and {@code ip} (skipped where namespaces cannot be
 * made).
 */
class PartitionIT {
  static final int JOBS = 200;

  @TempDir
  Path temp;

  private final List<Process> nodes = new ArrayList<>();
  private ActorSystem<WorkQueue.Command> coordinator;
  private NetworkNamespaces net;

  @AfterEach
  void stop() throws Exception {
    for (Process node : nodes) {
      node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (coordinator != null) {
      coordinator.terminate();
      coordinator.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void theMinoritySideDownsItselfAndItsJobsGoToTheMajority() throws Exception {
    assumeTrue(NetworkNamespaces.available(), "this host cannot make network namespaces (needs root and ip)");
    net = NetworkNamespaces.create(2);
    coordinator = ActorSystem.create(VerifierWorker.queue(Duration.ofSeconds(30)), "autodidact",
        ClusterNodes.config(List.of("coordinator"), net.hostAddress(), 0, null)
            .withFallback(ConfigFactory.parseString("akka.loglevel = WARNING"))
            .withFallback(ConfigFactory.load()).resolve());
    Cluster cluster = Cluster.get(coordinator);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    String seed = net.hostAddress() + ":" + cluster.selfMember().address().getPort().get();

    startNode(1, seed);
    Process isolated = startNode(2, seed);
    Await.until(() -> stats().workers() == 2, "two verifier nodes");
    // Every member Up (not Joining or WeaklyUp, which SBR does not count) before the cut.
    Await.until(() -> StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(member -> member.status() == akka.cluster.MemberStatus.up()).count() == 3, "three members up");

    CompletableFuture<List<VerificationResult>> results = AskPattern.<WorkQueue.Command, List<VerificationResult>>ask(
        coordinator, replyTo -> new WorkQueue.Submit<>(jobs(), replyTo), Duration.ofMinutes(5),
        coordinator.scheduler()).toCompletableFuture();
    Await.until(() -> stats().completed() >= 40, "40 jobs done");
    net.cut(2);

    List<VerificationResult> verdicts = results.get(5, TimeUnit.MINUTES);
    assertThat(isolated.waitFor(2, TimeUnit.MINUTES)).as("the isolated node downed itself and its JVM ended").isTrue();
    assertThat(isolated.exitValue()).as("a downed node exits with 3, so a supervisor restarts it").isEqualTo(3);
    Await.until(() -> members(coordinator).stream().noneMatch(address -> address.contains("@" + net.address(2) + ":")),
        "the isolated node removed from the majority's view");
    assertThat(verdicts).hasSize(JOBS);
    for (int i = 0; i < JOBS; i++) {
      assertThat(verdicts.get(i).getVerdict()).as("job %d", i).isEqualTo(i % 4 == 0 ? Verdict.WRONG : Verdict.CORRECT);
    }
    WorkQueue.Stats stats = stats();
    assertThat(stats.completed()).isEqualTo(JOBS);
    assertThat(stats.completedByWorker().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(JOBS);
  }

  private static List<VerificationJob> jobs() {
    List<VerificationJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(VerificationJob.newBuilder().setJobId("p" + i).setDeduction(CheckDeduction.newBuilder()
          .setProgram("def f(n):\n    return sum(range(n))\n").setInput(Integer.toString(i))
          .setAnswer(Integer.toString(i % 4 == 0 ? -1 : i * (i - 1) / 2))).build());
    }
    return jobs;
  }

  private Process startNode(int node, String seed) throws Exception {
    List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Dai.djl.offline=true", "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), "dev.autodidact.cli.Main", "node", "--roles", "verifier",
        "--host", net.address(node), "--seed", seed, "--log", temp.resolve("node-" + node + ".log").toString(),
        "--set", "sandbox.workers=1", "--set", "sandbox.min_workers=1");
    Process process = new ProcessBuilder(net.inside(node, java)).redirectErrorStream(true)
        .redirectOutput(temp.resolve("node-" + node + ".out").toFile()).start();
    nodes.add(process);
    return process;
  }

  private static List<String> members(ActorSystem<?> system) {
    return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .map(Member::address).map(Object::toString).toList();
  }

  private WorkQueue.Stats stats() {
    return AskPattern.<WorkQueue.Command, WorkQueue.Stats>ask(coordinator,
        WorkQueue.GetStats::new, Duration.ofSeconds(10), coordinator.scheduler()).toCompletableFuture().join();
  }
}
