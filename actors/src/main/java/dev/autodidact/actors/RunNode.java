package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.autodidact.persistence.BlobStore;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The guardian of a single-JVM node that holds every role (the embedded default): spawns
 * each role under a supervisor that restarts it with back-off, then the TrainingRun that
 * drives them. Messages for the run are forwarded to it.
 */
public final class RunNode {
  /** Batch size of one forward pass when sampling; larger requests are split. */
  static final int MAX_SAMPLING_BATCH = 64;

  private RunNode() {}

  /**
   * @param progress called, on an actor's thread, with everything the run reports; it must
   *     be thread-safe and quick (hand the message to a queue)
   */
  public static Behavior<TrainingRun.Command> create(
      RunSettings settings, BlobStore blobs, String runId, Consumer<RunProgress> progress) {
    return Behaviors.setup(context -> {
      TrainingRun.Roles roles = spawnRoles(context, settings, blobs);
      ActorRef<RunProgress> listener = context.spawn(Behaviors.receiveMessage(message -> {
        progress.accept(message);
        return Behaviors.same();
      }), "progress");
      ActorRef<TrainingRun.Command> run = context.spawn(TrainingRun.create(runId, roles, listener), "run");
      context.watch(run);
      return Behaviors.receive(TrainingRun.Command.class)
          .onAnyMessage(message -> {
            run.tell(message);
            return Behaviors.same();
          })
          .onSignal(Terminated.class, signal -> Behaviors.stopped())
          .build();
    });
  }

  static TrainingRun.Roles spawnRoles(ActorContext<?> context, RunSettings settings, BlobStore blobs) {
    DispatcherSelector blocking = DispatcherSelector.fromConfig("autodidact-blocking-dispatcher");
    ActorRef<InferenceWorker.Command> inference = context.spawn(
        supervised(InferenceWorker.create(blobs, settings.threads(), MAX_SAMPLING_BATCH)), "inference-worker", blocking);
    ActorRef<VerifierPool.Command> verifier = context.spawn(
        supervised(VerifierPool.create(settings)), "verifier-pool", blocking);
    ActorRef<Generator.Command> generator = context.spawn(
        supervised(Generator.create(settings, inference)), "generator");
    ActorRef<Solver.Command> solver = context.spawn(supervised(Solver.create(settings, inference)), "solver");
    ActorRef<LimitBreaker.Command> limitBreaker = context.spawn(
        supervised(LimitBreaker.create(settings)), "limit-breaker");
    ActorRef<ExternalSolver.Command> externalSolver = context.spawn(
        supervised(ExternalSolver.create(settings, verifier, inference)), "external-solver");
    ActorRef<Learner.Command> learner = context.spawn(
        supervised(Learner.create(settings, blobs)), "learner", blocking);
    return new TrainingRun.Roles(generator, solver, verifier, limitBreaker, externalSolver, learner);
  }

  private static <T> Behavior<T> supervised(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }
}
