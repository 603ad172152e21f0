package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.persistence.proto.cluster.CheckDeduction;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import dev.autodidact.sandbox.SandboxConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Verification spread over a real Akka cluster on loopback: one coordinator node holding a
 * run's queue and verifier nodes with real sandbox pools, each its own ActorSystem (Artery
 * over TCP between them, so every message crosses the protobuf serializer). Nodes join,
 * leave gracefully and are downed while jobs run; every job counts exactly once and gets the
 * verdict a single node gives it.
 */
class VerificationClusterIT {
  static final int JOBS = 160;
  static final Duration LEASE = Duration.ofSeconds(3);

  private final List<ActorSystem<?>> systems = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (ActorSystem<?> system : systems) {
      system.terminate();
    }
    for (ActorSystem<?> system : systems) {
      system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  private static Config nodeConfig() {
    return ConfigFactory.parseString("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.hostname = "127.0.0.1"
        akka.remote.artery.canonical.port = 0
        akka.cluster.jmx.multi-mbeans-in-same-jvm = on
        akka.cluster.downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
        akka.cluster.split-brain-resolver.stable-after = 2s
        akka.loglevel = WARNING
        """).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  private <T> ActorSystem<T> node(akka.actor.typed.Behavior<T> guardian, Address seed) {
    ActorSystem<T> system = ActorSystem.create(guardian, "autodidact", nodeConfig());
    systems.add(system);
    Cluster.get(system).manager().tell(Join.create(seed == null ? Cluster.get(system).selfMember().address() : seed));
    return system;
  }

  private static akka.actor.typed.Behavior<Void> verifier() {
    return verifier(SandboxConfig.defaults().withWorkers(1, 2));
  }

  private static akka.actor.typed.Behavior<Void> verifier(SandboxConfig sandbox) {
    return Behaviors.setup(context -> {
      context.spawn(VerifierWorker.create(sandbox, 4), "verifier-worker");
      return Behaviors.empty();
    });
  }

  /** Deduction checks of f(x) = 3x + 1; even jobs answer right, odd ones wrong. */
  private static List<VerificationJob> jobs() {
    List<VerificationJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(VerificationJob.newBuilder().setJobId("j" + i).setDeduction(CheckDeduction.newBuilder()
          .setProgram("def f(x):\n    return 3 * x + 1\n").setInput(Integer.toString(i))
          .setAnswer(Integer.toString(i % 2 == 0 ? 3 * i + 1 : 3 * i))).build());
    }
    return jobs;
  }

  @Test
  void jobsSurviveNodesJoiningLeavingAndBeingDownedAndEachCountsOnce() throws Exception {
    ActorSystem<WorkQueue.Command> coordinator = node(VerifierWorker.queue(LEASE), null);
    Address seed = Cluster.get(coordinator).selfMember().address();
    ActorSystem<Void> leaving = node(verifier(), seed);
    ActorSystem<Void> downed = node(verifier(), seed);
    awaitTrue(() -> upMembers(coordinator) == 3, "three nodes up");

    CompletableFuture<List<VerificationResult>> results = AskPattern.<WorkQueue.Command, List<VerificationResult>>ask(
        coordinator, replyTo -> new WorkQueue.Submit<>(jobs(), replyTo), Duration.ofMinutes(5),
        coordinator.scheduler()).toCompletableFuture();

    awaitTrue(() -> stats(coordinator).completed() >= 20, "20 jobs done");
    // A node that leaves gracefully hands its leases back at once; one downed without warning
    // (as SBR downs a crashed node) loses them, and the queue gives them to others.
    leaving.terminate();
    awaitTrue(() -> stats(coordinator).completed() >= 50, "50 jobs done");
    Cluster.get(coordinator).manager().tell(new Down(downed.address()));
    awaitTrue(() -> upMembers(coordinator) == 1, "the coordinator alone: " + Cluster.get(coordinator).state());
    ActorSystem<Void> joined = node(verifier(), seed);
    String joinedAddress = joined.address().toString();
    // A node that joins mid-run gets work within 10 s of joining (the bound; it takes
    // about as long as its sandbox takes to start).
    awaitTrue(() -> Cluster.get(joined).selfMember().status() == MemberStatus.up(), "the new node is up");
    awaitTrue(() -> stats(coordinator).completedByWorker().getOrDefault(joinedAddress, 0L) > 0,
        "the joined node completed a job", Duration.ofSeconds(10));

    List<VerificationResult> verdicts = results.get(5, TimeUnit.MINUTES);
    assertThat(verdicts).hasSize(JOBS);
    for (int i = 0; i < JOBS; i++) {
      assertThat(verdicts.get(i).getJobId()).isEqualTo("j" + i);
      assertThat(verdicts.get(i).getVerdict()).as("job %d", i).isEqualTo(i % 2 == 0 ? Verdict.CORRECT : Verdict.WRONG);
    }
    WorkQueue.Stats stats = stats(coordinator);
    assertThat(stats.completed()).isEqualTo(JOBS);
    assertThat(stats.completedByWorker().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(JOBS);
    assertThat(stats.completedByWorker()).containsKey(joinedAddress);
    assertThat(stats.leased()).isZero();
    assertThat(stats.waiting()).isZero();
  }

  @Test
  void aJobRunsOnlyOnANodeWithTheRunsSandboxLimits() throws Exception {
    SandboxConfig runs = SandboxConfig.defaults().withWorkers(1, 2);
    SandboxConfig other = new SandboxConfig(runs.python(), 1, 2, runs.timeout().multipliedBy(3), runs.memoryBytes(),
        runs.maxOutputChars(), runs.maxJobsPerWorker(), runs.scratchBytes(), runs.idleBeforeShrink(),
        runs.allowWeakIsolation());
    ActorSystem<WorkQueue.Command> coordinator = node(VerifierWorker.queue(LEASE), null);
    Address seed = Cluster.get(coordinator).selfMember().address();
    ActorSystem<Void> mismatched = node(verifier(other), seed);
    awaitTrue(() -> stats(coordinator).workers() == 1, "the mismatched node's worker listed");
    List<VerificationJob> limited = jobs().subList(0, 6).stream()
        .map(job -> job.toBuilder().setLimits(VerifierWorker.limits(runs)).build()).toList();

    // Only a node with other limits: it hands the jobs back (they wait, no attempt lost) ...
    CompletableFuture<List<VerificationResult>> results = AskPattern.<WorkQueue.Command,
        List<VerificationResult>>ask(coordinator, replyTo -> new WorkQueue.Submit<>(limited, replyTo),
        Duration.ofMinutes(2), coordinator.scheduler()).toCompletableFuture();
    awaitTrue(() -> stats(coordinator).refusingWorkers() == 1, "the mismatched node refused the run's jobs");
    awaitTrue(() -> stats(coordinator).waiting() == limited.size() && stats(coordinator).leased() == 0,
        "the jobs handed back to the queue");

    // ... and a node with the run's limits that joins runs every one of them.
    ActorSystem<Void> matching = node(verifier(runs), seed);
    List<VerificationResult> verdicts = results.get(2, TimeUnit.MINUTES);
    for (int i = 0; i < verdicts.size(); i++) {
      assertThat(verdicts.get(i).hasFailure()).as(verdicts.get(i).toString()).isFalse();
      assertThat(verdicts.get(i).getWorker()).isEqualTo(matching.address().toString());
      assertThat(verdicts.get(i).getVerdict()).isEqualTo(i % 2 == 0 ? Verdict.CORRECT : Verdict.WRONG);
    }
    assertThat(stats(coordinator).completedByWorker()).doesNotContainKey(mismatched.address().toString());
  }

  private static int upMembers(ActorSystem<?> system) {
    int up = 0;
    for (akka.cluster.Member member : Cluster.get(system).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  private static WorkQueue.Stats stats(ActorSystem<WorkQueue.Command> coordinator) {
    return AskPattern.<WorkQueue.Command, WorkQueue.Stats>ask(coordinator,
        WorkQueue.GetStats::new, Duration.ofSeconds(5), coordinator.scheduler())
        .toCompletableFuture().join();
  }

  /** Polls {@code condition} until it holds; fails after a minute (a hang, not a speed limit). */
  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    awaitTrue(condition, what, Duration.ofMinutes(1));
  }

  private static void awaitTrue(BooleanSupplier condition, String what, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + limit.toSeconds() + " s for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
