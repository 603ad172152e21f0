package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import dev.autodidact.model.ComputeThreads;
import dev.autodidact.model.Policies;
import dev.autodidact.model.RolloutEngine;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.Blobs;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The guardian of a single-JVM node that holds every role (the embedded default): spawns
 * each role under a supervisor that restarts it with back-off, then the TrainingRun that
 * drives them. Messages for the run are forwarded to it.
 */
public final class RunNode {
  /** The topic on which every journaled policy version is announced. */
  static final String POLICY_VERSIONS = "autodidact-policy-versions";

  private RunNode() {}

  /**
   * Which work this JVM does itself, and how the rest reaches other nodes.
   *
   * @param verifier whether this node's own sandbox verifies (else only other nodes' verifier
   *     workers take the run's jobs)
   * @param rollout whether this node's own policy replica samples
   * @param shared the cluster's blob store, where rollout nodes load checkpoints; null in one
   *     JVM, where inference goes straight to this node's replica
   * @param learners the shard region of learners ({@link RunLearner}) when the run's learner is
   *     on a {@code learner} node of the cluster; null: the learner is this run's own child
   */
  public record Placement(boolean verifier, boolean rollout, Blobs shared,
      ActorRef<ShardingEnvelope<RunLearner.Command>> learners) {
    /** Every role in this JVM, nothing shared: the embedded default. */
    public static final Placement LOCAL = new Placement(true, true, null);

    public Placement {
      if (shared == null && !rollout) {
        throw new IllegalArgumentException("without a shared blob store, inference can only run in this JVM");
      }
    }

    /** The learner in this JVM. */
    public Placement(boolean verifier, boolean rollout, Blobs shared) {
      this(verifier, rollout, shared, null);
    }
  }

  /**
   * @param progress called, on an actor's thread, with everything the run reports; it must
   *     be thread-safe and quick (hand the message to a queue)
   */
  public static Behavior<TrainingRun.Command> create(
      RunSettings settings, Blobs blobs, String runId, Consumer<RunProgress> progress) {
    return create(settings, blobs, runId, Placement.LOCAL, progress);
  }

  public static Behavior<TrainingRun.Command> create(
      RunSettings settings, Blobs blobs, String runId, Placement placement, Consumer<RunProgress> progress) {
    return Behaviors.<Object>setup(context -> {
      if (!context.getSystem().settings().config().getString("akka.actor.provider").equals("cluster")) {
        return start(context, settings, blobs, runId, placement, progress);
      }
      // In a cluster the run starts once this node is Up. Until then SBR does not count it: a
      // node that crashed while this one was still joining would leave no coordinator counted,
      // and SBR would down every node, this one too.
      Cluster.get(context.getSystem()).subscriptions().tell(
          Subscribe.create(context.messageAdapter(SelfUp.class, up -> up), SelfUp.class));
      return Behaviors.<Object>withStash(1_000, waiting -> Behaviors.receive(Object.class)
          .onMessage(SelfUp.class, up -> {
            context.getLog().info("this node is Up in the cluster; starting run {}", runId);
            return waiting.unstashAll(start(context, settings, blobs, runId, placement, progress));
          })
          .onAnyMessage(message -> {
            waiting.stash(message);
            return Behaviors.same();
          })
          .build());
    }).narrow();
  }

  /** Spawns the roles and the run; forwards the run's commands to it, and stops when it does. */
  private static Behavior<Object> start(ActorContext<Object> context, RunSettings settings, Blobs blobs, String runId,
      Placement placement, Consumer<RunProgress> progress) {
    TrainingRun.Roles roles = spawnRoles(context, settings, blobs, runId, placement);
    ActorRef<RunProgress> listener = context.spawn(Behaviors.receiveMessage(message -> {
      progress.accept(message);
      return Behaviors.same();
    }), "progress");
    ActorRef<TrainingRun.Command> run = context.spawn(TrainingRun.create(runId, roles, listener), "run");
    context.watch(run);
    return Behaviors.receive(Object.class)
        .onMessage(TrainingRun.Command.class, message -> {
          run.tell(message);
          return Behaviors.same();
        })
        .onSignal(Terminated.class, signal -> Behaviors.stopped())
        .build();
  }

  static TrainingRun.Roles spawnRoles(ActorContext<?> context, RunSettings settings, Blobs blobs, String runId,
      Placement placement) {
    DispatcherSelector blocking = DispatcherSelector.fromConfig("autodidact-blocking-dispatcher");
    ActorRef<Topic.Command<PolicyUpdated>> policyVersions =
        // One topic per run: in a cluster the topic spans nodes, and runs must not hear each other's versions.
        context.spawn(Topic.create(PolicyUpdated.class, POLICY_VERSIONS + "-" + runId), "policy-versions");
    ActorRef<InferenceWorker.Command> inference;
    if (placement.shared() == null) {
      inference = context.spawn(supervised(InferenceWorker.create(blobs, inferenceSetup(settings), policyVersions)),
          "inference-worker", blocking);
    } else {
      // Every sampling and scoring request becomes jobs that rollout nodes pull, this one too if it has the role.
      inference = context.spawn(supervised(RemoteInference.create(blobs, placement.shared(),
          settings.inference().maxBatch(), RolloutWorker.LEASE, settings.phaseTimeout(), RolloutWorker.Identity.of(settings),
          policyVersions)),
          "inference", blocking);
      if (placement.rollout()) {
        context.spawn(supervised(RolloutWorker.create(placement.shared(), inferenceSetup(settings),
                RolloutWorker.Identity.of(settings))),
            "rollout-worker", blocking);
      }
    }
    // This node's sandbox pool works for every verification queue it finds (here: the run's own).
    if (placement.verifier()) {
      context.spawn(supervised(VerifierWorker.create(settings.sandboxConfig(), VerifierWorker.capacityFor(
          settings.sandboxConfig()))), "verifier-worker", blocking);
    }
    ActorRef<VerifierPool.Command> verifier = context.spawn(
        supervised(VerifierPool.create(settings)), "verifier-pool");
    ActorRef<Generator.Command> generator = context.spawn(
        supervised(Generator.create(settings, inference)), "generator");
    ActorRef<Solver.Command> solver = context.spawn(supervised(Solver.create(settings, inference)), "solver");
    ActorRef<LimitBreaker.Command> limitBreaker = context.spawn(
        supervised(LimitBreaker.create(settings)), "limit-breaker");
    ActorRef<ExternalSolver.Command> externalSolver = context.spawn(
        supervised(ExternalSolver.create(settings, verifier, inference)), "external-solver");
    ActorRef<Learner.Command> learner = placement.learners() != null
        ? context.spawn(RemoteLearner.create(runId, placement.learners()), "learner")
        : context.spawn(supervised(Learner.create(settings, blobs)), "learner", blocking);
    return new TrainingRun.Roles(generator, solver, verifier, limitBreaker, externalSolver, learner, policyVersions);
  }

  /**
   * The InferenceWorker's batching and engine, from the run's settings: the policy itself
   * (sampling split into {@code inference.sample_threads} parts, scoring on
   * {@code inference.score_threads} intra-op threads), or ONNX Runtime fed with the
   * checkpoint's weights through the project's exporter (one session with
   * {@code inference.sample_threads} intra-op threads).
   */
  public static InferenceWorker.Setup inferenceSetup(RunSettings settings) {
    RunSettings.Inference inference = settings.inference();
    ComputeThreads threads =
        new ComputeThreads(inference.sampleThreads(), inference.scoreThreads(), settings.threads());
    Function<byte[], RolloutEngine> engines = inference.engine().equals("onnx")
        ? bytes -> Policies.onnxRollouts(bytes, inference.sampleThreads())
        : bytes -> Policies.restore(bytes, threads);
    return new InferenceWorker.Setup(inference.maxBatch(), inference.maxDelay(), engines);
  }

  private static <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }
}
