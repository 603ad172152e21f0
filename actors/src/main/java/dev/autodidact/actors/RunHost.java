package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityContext;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import com.google.protobuf.Message;
import dev.autodidact.persistence.Blobs;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.RunLock;
import dev.autodidact.persistence.proto.RunStarted;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run hosted by the cluster: the TrainingRun shard entity, keyed by run id, on the nodes
 * with the {@code coordinator} role. Any such node can host any run, because everything a run
 * needs is in the cluster's PostgreSQL: its settings in its own opening event, its state in
 * its journal, its checkpoints in the shared blob store. When its node dies, sharding starts
 * it on another coordinator node (remember-entities), where the TrainingRun recovers from the
 * journal and goes on from the last journaled phase.
 *
 * <p>The host takes the run's lock in the journal's database before the run writes anything,
 * and waits while another session holds it (the old host behind a partition until SBR downs
 * it): never two writers on one run. The run's learner is a shard entity of its own
 * ({@link RunLearner}) on a {@code learner} node, reached through {@link RemoteLearner}; it writes
 * checkpoints only, never events. Clients ({@code train --cluster}) follow the run with
 * {@link Follow}.
 */
public final class RunHost extends AbstractBehavior<RunHost.Command> {

  /** Sharding's name for runs; shard regions of every node must agree on it. */
  public static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "TrainingRun");

  /** The role of the nodes that host runs. */
  public static final String ROLE = "coordinator";

  /** How long a finished or failed run stays hosted, so that followers polling every few seconds hear of it. */
  static final Duration LINGER = Duration.ofSeconds(30);

  /** How often the host asks again for a lock another session holds. */
  static final Duration LOCK_RETRY = Duration.ofSeconds(3);

  public sealed interface Command {}

  /**
   * Follow the run: {@code follower} gets a {@link Update} now and after every step. With
   * {@code started}, begin the run if its journal holds no opening event yet.
   */
  public record Follow(Optional<RunStarted> started, ActorRef<Update> follower) implements Command, ClusterMessage {}

  /** Where the run stands; the metrics are in the journal (see {@code RunUpdate} in cluster.proto). */
  public record Update(String runId, String host, long stepsDone, boolean finished, String failure)
      implements ClusterMessage {
    public boolean failed() {
      return !failure.isEmpty();
    }
  }

  private record Opened(Optional<Message> opening) implements Command {}

  private record LockAttempt(Optional<RunLock> lock, String heldBy, String error) implements Command {}

  private record RetryLock() implements Command {}

  private record Progress(RunProgress progress) implements Command {}

  private record Started(String outcome, String error) implements Command {}

  private record Leave() implements Command {}

  /**
   * What a coordinator (or learner) node gives the runs (or learners) it hosts.
   *
   * @param journal the cluster's PostgreSQL (the runs' journal and the run lock)
   * @param shared the cluster's blob store: base models, checkpoints
   * @param learners the shard region of learners, where a hosted run's learner lives
   */
  public record Setup(JournalDatabase journal, Blobs shared,
      ActorRef<ShardingEnvelope<RunLearner.Command>> learners) {}

  private final String runId;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final String persistenceId;
  private final Setup setup;
  private final String address;
  private final Executor blocking;
  private final Set<ActorRef<Update>> followers = new HashSet<>();
  private Optional<RunStarted> pendingStart = Optional.empty();
  private Optional<Message> opening;
  private RunLock lock;
  /** Set when this incarnation stops: a lock taken after that is closed at once, never leaked. */
  private final AtomicBoolean stopped = new AtomicBoolean();
  private ActorRef<TrainingRun.Command> run;
  private Update last;

  /** The entity for sharding: {@code Entity.of(TYPE, entity -> RunHost.create(entity, setup))}. */
  public static Behavior<Command> create(EntityContext<Command> entity, Setup setup) {
    return Behaviors.setup(context -> new RunHost(context, entity.getEntityId(), entity.getShard(), setup));
  }

  private RunHost(ActorContext<Command> context, String runId, ActorRef<ClusterSharding.ShardCommand> shard,
      Setup setup) {
    super(context);
    this.runId = runId;
    this.shard = shard;
    this.persistenceId = "TrainingRun|" + runId;
    this.setup = setup;
    this.address = Cluster.get(context.getSystem()).selfMember().address().toString();
    this.blocking = context.getSystem().dispatchers().lookup(
        DispatcherSelector.fromConfig("autodidact-blocking-dispatcher"));
    this.last = new Update(runId, address, 0, false, "");
    context.getLog().info("hosting run {} on this node; reading its opening event", runId);
    context.pipeToSelf(CompletableFuture.supplyAsync(this::readOpening, blocking),
        (found, error) -> error == null ? new Opened(found)
            : new LockAttempt(Optional.empty(), null, "cannot read the run's journal: " + rootMessage(error)));
  }

  private Optional<Message> readOpening() {
    return RunOpening.read(setup.journal(), runId);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Follow.class, this::onFollow)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(RetryLock.class, retry -> {
          takeLock();
          return this;
        })
        .onMessage(LockAttempt.class, this::onLockAttempt)
        .onMessage(Progress.class, this::onProgress)
        .onMessage(Started.class, this::onStarted)
        .onMessage(Leave.class, leave -> {
          // Passivated, not stopped: a remembered entity that stops by itself is started again.
          shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
          return this;
        })
        .onSignal(Terminated.class, this::onTerminated)
        .onSignal(PostStop.class, stop -> {
          stopped.set(true);
          releaseLock();
          return this;
        })
        .build();
  }

  private Behavior<Command> onStarted(Started started) {
    if (started.error() == null) {
      getContext().getLog().info("run {}: {}", runId, started.outcome());
      return this;
    }
    // The opening event may not be journaled (the journal went away): start again, from the
    // journal, once sharding restarts this remembered entity; the client sends its Follow again.
    getContext().getLog().error("run {} could not begin ({}); starting again", runId, started.error());
    return Behaviors.stopped();
  }

  private Behavior<Command> onFollow(Follow follow) {
    if (last.failed()) {
      // A client that follows a failed run wants it resumed: leave now, and the next Follow
      // (a few seconds later) starts the run again from its journal.
      getContext().getSelf().tell(new Leave());
      return this;
    }
    if (followers.add(follow.follower())) {
      getContext().watch(follow.follower());
      getContext().getLog().info("run {}: followed by {}", runId, follow.follower().path());
    }
    follow.follower().tell(last);
    if (follow.started().isPresent() && pendingStart.isEmpty()) {
      pendingStart = follow.started();
      if (opening != null && opening.isEmpty() && lock == null) {
        takeLock();
      }
    }
    return this;
  }

  private Behavior<Command> onOpened(Opened opened) {
    opening = opened.opening();
    if (opening.isPresent() || pendingStart.isPresent()) {
      takeLock();
    } else {
      getContext().getLog().info("run {} has not begun; waiting for the client that begins it", runId);
    }
    return this;
  }

  private void takeLock() {
    String holder = "autodidact run host " + runId + " (" + address + ")";
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        RunLock.Attempt attempt = RunLock.tryAcquire(setup.journal(), persistenceId, holder);
        if (stopped.get()) {
          attempt.lock().ifPresent(RunLock::close); // nobody would ever read the answer
        }
        return attempt;
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, blocking), (attempt, error) -> error != null
        ? new LockAttempt(Optional.empty(), null, "cannot take the run's lock: " + rootMessage(error))
        : new LockAttempt(attempt.lock(), attempt.heldBy(), null));
  }

  private Behavior<Command> onLockAttempt(LockAttempt attempt) {
    if (run != null) {
      attempt.lock().ifPresent(RunLock::close); // a late second attempt
      return this;
    }
    if (attempt.lock().isEmpty()) {
      // The old host behind a partition, until SBR downs it and its session ends; or the
      // database is away. Either way nothing is written here until the lock is ours.
      getContext().getLog().warn("run {}: {}; trying again in {} s", runId, attempt.error() != null ? attempt.error()
          : "its lock is held by " + attempt.heldBy(), LOCK_RETRY.toSeconds());
      getContext().scheduleOnce(LOCK_RETRY, getContext().getSelf(), new RetryLock());
      return this;
    }
    lock = attempt.lock().get();
    if (opening == null) {
      // The journal could not be read before; read it now, the lock held.
      opening = readOpening();
    }
    if (opening.isEmpty() && pendingStart.isEmpty()) {
      releaseLock();
      getContext().getLog().info("run {} has not begun; waiting for the client that begins it", runId);
      return this;
    }
    Message first = opening.isPresent() ? opening.get() : pendingStart.orElseThrow();
    RunSettings settings = RunOpening.settings(first);
    // The node's own workers (verifier, rollout) serve every run's queues: none per run.
    TrainingRun.Roles roles = RunNode.spawnRoles(getContext(), settings, setup.shared(), runId,
        new RunNode.Placement(false, false, setup.shared(), setup.learners()));
    run = getContext().spawn(TrainingRun.create(runId, roles,
        getContext().messageAdapter(RunProgress.class, Progress::new)), "run");
    getContext().watch(run);
    if (opening.isEmpty()) {
      RunStarted started = pendingStart.get();
      getContext().askWithStatus(String.class, run, Duration.ofMinutes(5),
          replyTo -> new TrainingRun.Start(started, replyTo),
          (outcome, error) -> new Started(outcome, error == null ? null : String.valueOf(error.getMessage())));
    }
    getContext().getLog().info("run {}: lock taken; running on this node", runId);
    return this;
  }

  private Behavior<Command> onProgress(Progress message) {
    RunProgress progress = message.progress();
    if (progress instanceof RunProgress.StepFinished step) {
      if (!lock.held()) {
        getContext().getLog().error("run {}: lost its lock (the connection to the journal's database dropped);"
            + " stopping here, another coordinator node takes it over from its journal", runId);
        return Behaviors.stopped();
      }
      publish(new Update(runId, address, step.metrics().size(), false, ""));
    } else if (progress instanceof RunProgress.RunFinished finished) {
      publish(new Update(runId, address, finished.metrics().size(), true, ""));
      leaveLater();
    } else if (progress instanceof RunProgress.RunFailed failed) {
      publish(new Update(runId, address, last.stepsDone(), false, failed.reason()));
      leaveLater();
    }
    return this;
  }

  private void publish(Update update) {
    last = update;
    followers.forEach(follower -> follower.tell(update));
  }

  /**
   * A run that ended leaves this node after {@link #LINGER}: passivated, it is no longer
   * remembered, so no node starts it again until a client follows it (a resumed failed run).
   */
  private void leaveLater() {
    getContext().scheduleOnce(LINGER, getContext().getSelf(), new Leave());
  }

  private Behavior<Command> onTerminated(Terminated terminated) {
    if (followers.remove(terminated.getRef())) {
      return this;
    }
    if (terminated.getRef().equals(run) && !last.finished() && !last.failed()) {
      // Stopped without ending (its journal failed for good): sharding starts the entity again
      // after its back-off, and the run recovers from what reached the journal.
      getContext().getLog().error("run {} stopped before its end; it starts again from its journal", runId);
      return Behaviors.stopped();
    }
    return this;
  }

  private void releaseLock() {
    if (lock != null) {
      lock.close();
      lock = null;
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName());
  }
}
