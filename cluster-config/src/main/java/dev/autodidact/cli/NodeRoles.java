package dev.autodidact.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import dev.autodidact.actors.RolloutWorker;
import dev.autodidact.actors.RunHost;
import dev.autodidact.actors.RunLearner;
import dev.autodidact.actors.RunNode;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.VerifierWorker;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.JournalDatabase;
import java.time.Duration;
import java.util.List;

/**
 * What a cluster member runs for its roles, the same in `autodidact node` and in the JVM of
 * `train --cluster`: a sandbox pool for {@code verifier}, a policy replica for {@code rollout}
 * (both pull work from every run's queues), the hosting of runs as shard entities for
 * {@code coordinator}, and of runs' learners for {@code learner}. A member without one of
 * those roles reaches its entities through a proxy of the same shard region.
 */
final class NodeRoles {
  private NodeRoles() {}

  /** The guardian: this node's workers, supervised with back-off. */
  static Behavior<Void> workers(List<String> roles, RunSettings settings, Blobs shared) {
    return Behaviors.setup(context -> {
      DispatcherSelector blocking = DispatcherSelector.fromConfig("autodidact-blocking-dispatcher");
      if (roles.contains("verifier")) {
        context.spawn(supervised(VerifierWorker.create(settings.sandboxConfig(),
            VerifierWorker.capacityFor(settings.sandboxConfig()))), "verifier-worker", blocking);
      }
      if (roles.contains("rollout")) {
        context.spawn(supervised(RolloutWorker.create(shared, RunNode.inferenceSetup(settings),
            RolloutWorker.Identity.of(settings))), "rollout-worker", blocking);
      }
      return Behaviors.empty();
    });
  }

  /**
   * Starts this node's shard regions of runs and of learners: each hosting its entities when
   * the node has the role (coordinator, learner), else a proxy to the nodes that do.
   *
   * @param journal the cluster's PostgreSQL; null on a node that hosts neither
   */
  static ActorRef<ShardingEnvelope<RunHost.Command>> runs(ActorSystem<?> system, JournalDatabase journal,
      Blobs shared) {
    ClusterSharding sharding = ClusterSharding.get(system);
    RunHost.Setup noRegion = new RunHost.Setup(journal, shared, null);
    // A learner is not remembered: its run sends it the update again, wherever it starts. It
    // stays while its run pauses between updates (reloading a large policy costs), and goes
    // after half an hour without one, a run's longest phase.
    ActorRef<ShardingEnvelope<RunLearner.Command>> learners = sharding.init(
        Entity.of(RunLearner.TYPE, entity -> RunLearner.create(entity, noRegion))
            .withRole(RunLearner.ROLE)
            .withEntityProps(BLOCKING)
            .withSettings(ClusterShardingSettings.create(system).withRememberEntities(false)
                .withPassivateIdleEntityAfter(LEARNER_IDLE)));
    RunHost.Setup host = new RunHost.Setup(journal, shared, learners);
    return sharding.init(Entity.of(RunHost.TYPE, entity -> RunHost.create(entity, host)).withRole(RunHost.ROLE)
        .withEntityProps(BLOCKING));
  }

  /** Both entities touch the database now and then (settings, the run's lock): never on Akka's own threads. */
  private static final DispatcherSelector BLOCKING = DispatcherSelector.fromConfig("autodidact-blocking-dispatcher");

  /** How long a learner without updates stays on its node. */
  static final Duration LEARNER_IDLE = Duration.ofMinutes(30);

  private static <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }
}
