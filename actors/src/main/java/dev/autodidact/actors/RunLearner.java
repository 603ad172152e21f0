package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.sharding.typed.javadsl.EntityContext;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A run's learner as the cluster hosts it: the {@code Learner} shard entity, keyed by run id,
 * on the nodes with the {@code learner} role, wherever the run itself is. It reads the run's
 * settings from the journal, owns a {@link Learner} (the trainable policy), and answers
 * {@link Train} requests. It keeps nothing a node could lose: every update starts from the
 * checkpoint the run names, in the shared blob store, so a learner that starts on another
 * node after its node died simply does the update again and gets the same bytes.
 */
public final class RunLearner extends AbstractBehavior<RunLearner.Command> {

  public static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "Learner");

  /** The role of the nodes that host learners. */
  public static final String ROLE = "learner";

  public sealed interface Command {}

  /**
   * Step {@code step}'s update from {@code checkpoint}; {@code samples} empty with
   * {@code poll}: only how it stands (see {@code LearnerTrain} in cluster.proto).
   */
  public record Train(long step, String checkpoint, List<PolicySample> samples, boolean poll,
      ActorRef<Status> replyTo) implements Command, ClusterMessage {}

  /** How an update stands; {@code updated} with DONE, {@code error} with FAILED. */
  public record Status(long step, String checkpoint, State state, Optional<PolicyUpdated> updated, String error)
      implements ClusterMessage {}

  public enum State { WORKING, UNKNOWN, DONE, FAILED }

  private record Finished(long step, String checkpoint, PolicyUpdated updated, String error) implements Command {}

  private final ActorRef<Learner.Command> learner;
  private final Set<ActorRef<Status>> waiting = new LinkedHashSet<>();
  private Train working;
  private Status last;

  /** The entity for sharding: {@code Entity.of(TYPE, entity -> RunLearner.create(entity, setup))}. */
  public static Behavior<Command> create(EntityContext<Command> entity, RunHost.Setup setup) {
    return Behaviors.setup(context -> {
      String runId = entity.getEntityId();
      // Blocking on the journal here is short and happens once per incarnation.
      RunSettings settings = RunOpening.settings(setup.journal(), runId);
      context.getLog().info("learner of run {} on this node", runId);
      return new RunLearner(context, settings, setup);
    });
  }

  private RunLearner(ActorContext<Command> context, RunSettings settings, RunHost.Setup setup) {
    super(context);
    this.learner = context.spawn(Behaviors.supervise(Learner.create(settings, setup.shared()))
            .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)),
        "learner", DispatcherSelector.fromConfig("autodidact-blocking-dispatcher"));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Train.class, this::onTrain)
        .onMessage(Finished.class, this::onFinished)
        .build();
  }

  private Behavior<Command> onTrain(Train train) {
    if (last != null && last.step() == train.step() && last.checkpoint().equals(train.checkpoint())) {
      train.replyTo().tell(last);
    } else if (working != null && working.step() == train.step() && working.checkpoint().equals(train.checkpoint())) {
      waiting.add(train.replyTo()); // a set: the run's polls do not pile up
      train.replyTo().tell(status(train, State.WORKING, Optional.empty(), ""));
    } else if (train.poll() || working != null) {
      // Never saw it (a new incarnation), or busy with another update: the run sends it again.
      train.replyTo().tell(status(train, State.UNKNOWN, Optional.empty(), ""));
    } else {
      working = train;
      waiting.add(train.replyTo());
      train.replyTo().tell(status(train, State.WORKING, Optional.empty(), ""));
      getContext().askWithStatus(PolicyUpdated.class, learner, Duration.ofHours(2),
          replyTo -> new Learner.Update(train.step(), train.checkpoint(), train.samples(), replyTo),
          (updated, error) -> new Finished(train.step(), train.checkpoint(), updated,
              error == null ? "" : String.valueOf(error.getMessage())));
    }
    return this;
  }

  private Behavior<Command> onFinished(Finished finished) {
    Status outcome = new Status(finished.step(), finished.checkpoint(),
        finished.error().isEmpty() ? State.DONE : State.FAILED, Optional.ofNullable(finished.updated()),
        finished.error());
    if (outcome.state() == State.DONE) {
      last = outcome; // a failure is not kept: the run's retry computes the update again
    }
    waiting.forEach(replyTo -> replyTo.tell(outcome));
    waiting.clear();
    working = null;
    return this;
  }

  private static Status status(Train train, State state, Optional<PolicyUpdated> updated, String error) {
    return new Status(train.step(), train.checkpoint(), state, updated, error);
  }
}
