package dev.autodidact.actors;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One node's capacity for one {@link WorkKind} (its sandbox pool, its policy replica), offered
 * to every {@link WorkQueue} of that kind in the cluster. It tells each queue how many of its
 * jobs it can hold (again every few seconds, so a lost message or a restarted queue costs
 * nothing) and runs what it is leased with its {@link Runner}. A job its node cannot run (the
 * sandbox broke, the replica failed) goes back to the queue, never as the job's answer. A node
 * that leaves gracefully hands back, at once, every job it has not finished (a
 * coordinated-shutdown task runs before the node leaves the cluster); a node that dies loses
 * its leases, which the queues give to other workers.
 */
public final class PullingWorker<J extends Message, R extends Message> extends AbstractBehavior<PullingWorker.Command> {

  public sealed interface Command permits JobsLeased, QueuesChanged, Ran, Leave, Announce {}

  /** Jobs for this worker, on lease for {@code leaseMillis}. */
  public record JobsLeased(ActorRef<WorkQueue.Command> queue, List<Message> jobs, long leaseMillis)
      implements Command, ClusterMessage {}

  private record QueuesChanged(Set<ActorRef<WorkQueue.Command>> queues) implements Command {}

  /** A job's end: its result, or the reason this node could not run it (then {@code result} is null). */
  private record Ran(ActorRef<WorkQueue.Command> queue, String jobId, Message result, String couldNotRun,
      boolean incompatible) implements Command {}

  /**
   * A runner's answer for a job this node must not run because it is set up differently from
   * the job's run (other sandbox limits, another inference engine): its answer could differ
   * from another node's. The worker then takes no more work from that queue.
   */
  public static final class Incompatible extends RuntimeException {
    public Incompatible(String reason) {
      super(reason);
    }
  }

  /**
   * What runs the jobs on this node. A future that fails with {@link IllegalArgumentException}
   * means the job itself is refused (that is its answer: it fails); any other failure means
   * this node could not run it, and the job goes to another worker.
   */
  public interface Runner<J, R> extends AutoCloseable {
    CompletableFuture<R> run(J job);

    @Override
    void close();
  }

  /** Time to tell every queue this worker's capacity again. */
  private record Announce() implements Command {}

  /** How often a worker repeats its capacity to every queue it knows. */
  static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(3);

  /** Stop taking work and hand back every unfinished job. */
  public record Leave(ActorRef<Done> replyTo) implements Command {}

  private final WorkKind<J, R> kind;
  private final int capacity;
  private final String name;
  private final Runner<J, R> runner;
  private final Set<ActorRef<WorkQueue.Command>> queues = new HashSet<>();
  /** Queues whose runs this node is not set up for, with why; they are offered no room. */
  private final Map<ActorRef<WorkQueue.Command>, String> incompatible = new HashMap<>();
  private final Map<ActorRef<WorkQueue.Command>, Set<String>> running = new HashMap<>();
  private boolean leaving;

  /**
   * @param capacity jobs this worker holds from each queue at a time
   * @param runners makes this node's runner; called again after a restart, so a broken one is
   *     replaced (it may spawn children of the worker)
   */
  public static <J extends Message, R extends Message> Behavior<Command> create(WorkKind<J, R> kind, int capacity,
      Function<ActorContext<Command>, Runner<J, R>> runners) {
    return Behaviors.setup(context -> {
      ActorRef<Command> self = context.getSelf();
      akka.actor.typed.ActorSystem<?> system = context.getSystem();
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(),
          "hand-back-" + kind.name() + "-leases-" + self.path().name(),
          () -> AskPattern.<Command, Done>ask(self, Leave::new, Duration.ofSeconds(5), system.scheduler())
              .exceptionally(failure -> Done.getInstance()));
      return Behaviors.<Command>withTimers(timers -> {
        timers.startTimerWithFixedDelay(new Announce(), ANNOUNCE_EVERY);
        return new PullingWorker<>(context, kind, capacity, runners.apply(context));
      });
    });
  }

  private PullingWorker(ActorContext<Command> context, WorkKind<J, R> kind, int capacity, Runner<J, R> runner) {
    super(context);
    this.kind = kind;
    this.capacity = capacity;
    this.name = context.getSystem().address().toString();
    this.runner = runner;
    context.getSystem().receptionist().tell(Receptionist.register(kind.workers(), context.getSelf()));
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
        listing -> new QueuesChanged(listing.getAllServiceInstances(kind.queues())));
    context.getSystem().receptionist().tell(Receptionist.subscribe(kind.queues(), listings));
  }

  /** The node a result names as its worker. */
  static String nodeName(ActorContext<?> context) {
    return context.getSystem().address().toString();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(QueuesChanged.class, this::onQueuesChanged)
        .onMessage(JobsLeased.class, this::onJobsLeased)
        .onMessage(Ran.class, this::onRan)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Announce.class, announce -> onAnnounce())
        .onSignal(PostStop.class, signal -> closeRunner())
        .onSignal(PreRestart.class, signal -> restarting())
        .build();
  }

  private Behavior<Command> onQueuesChanged(QueuesChanged changed) {
    for (ActorRef<WorkQueue.Command> queue : changed.queues()) {
      if (!queues.contains(queue) && !leaving) {
        queue.tell(new WorkQueue.WorkWanted(getContext().getSelf(), roomFor(queue)));
      }
    }
    queues.clear();
    queues.addAll(changed.queues());
    incompatible.keySet().retainAll(queues);
    return this;
  }

  private Behavior<Command> onAnnounce() {
    if (!leaving) {
      for (ActorRef<WorkQueue.Command> queue : queues) {
        queue.tell(new WorkQueue.WorkWanted(getContext().getSelf(), roomFor(queue)));
      }
    }
    return this;
  }

  private int roomFor(ActorRef<WorkQueue.Command> queue) {
    return incompatible.containsKey(queue) ? 0 : capacity;
  }

  private Behavior<Command> onJobsLeased(JobsLeased leased) {
    List<J> jobs = leased.jobs().stream().map(kind::job).toList();
    if (leaving) {
      leased.queue().tell(new WorkQueue.LeasesReturned(getContext().getSelf(),
          jobs.stream().map(kind.jobId()).toList(), false, ""));
      return this;
    }
    if (!running.containsKey(leased.queue())) {
      getContext().getLog().info("taking {} jobs from {}", kind.name(), leased.queue().path());
    }
    for (J job : jobs) {
      String jobId = kind.jobId().apply(job);
      if (!running.computeIfAbsent(leased.queue(), q -> new HashSet<>()).add(jobId)) {
        continue; // already running here (a repeated lease)
      }
      CompletableFuture<R> ran;
      try {
        ran = runner.run(job);
      } catch (IllegalArgumentException e) { // the runner refuses the job itself (e.g. mismatched lists)
        ran = CompletableFuture.completedFuture(refused(jobId, e));
      }
      getContext().pipeToSelf(ran, (result, failure) -> {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        return cause == null ? new Ran(leased.queue(), jobId, result, null, false)
            : cause instanceof IllegalArgumentException refusal
                ? new Ran(leased.queue(), jobId, refused(jobId, refusal), null, false)
                : new Ran(leased.queue(), jobId, null, String.valueOf(cause.getMessage()),
                    cause instanceof Incompatible);
      });
    }
    return this;
  }

  private R refused(String jobId, IllegalArgumentException refusal) {
    return kind.failure().of(jobId,
        kind.name() + ": " + String.valueOf(refusal.getMessage()).lines().findFirst().orElse(""), name);
  }

  private Behavior<Command> onRan(Ran ran) {
    Set<String> ofQueue = running.get(ran.queue());
    if (ofQueue == null || !ofQueue.remove(ran.jobId())) {
      return this; // handed back already (leaving or restarting)
    }
    if (ran.result() != null) {
      ran.queue().tell(new WorkQueue.JobDone(ran.result()));
    } else if (ran.incompatible()) {
      // Not this node's job, nor the job's fault: it goes to another node, no attempt lost, and
      // this node takes no more of that run's work.
      if (incompatible.put(ran.queue(), ran.couldNotRun()) == null) {
        getContext().getLog().warn("not taking {} jobs from {}: {}", kind.name(), ran.queue().path(),
            ran.couldNotRun());
        ran.queue().tell(new WorkQueue.WorkWanted(getContext().getSelf(), 0));
      }
      ran.queue().tell(new WorkQueue.LeasesReturned(getContext().getSelf(), List.of(ran.jobId()), false,
          name + ": " + ran.couldNotRun()));
    } else {
      // This node could not run it (its sandbox broke): not the job's answer. The queue gives
      // it to another worker and counts the attempt.
      getContext().getLog().warn("could not run {} job {}: {}", kind.name(), ran.jobId(), ran.couldNotRun());
      ran.queue().tell(new WorkQueue.LeasesReturned(getContext().getSelf(), List.of(ran.jobId()), true,
          name + ": " + ran.couldNotRun()));
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    leaving = true;
    int handedBack = handBack(false, "");
    getContext().getSystem().receptionist().tell(Receptionist.deregister(kind.workers(), getContext().getSelf()));
    getContext().getLog().info("leaving: handed back {} unfinished {} jobs", handedBack, kind.name());
    leave.replyTo().tell(Done.getInstance());
    return this;
  }

  /** Before a restart: what runs now is lost with the runner, so it goes back (the attempt counts). */
  private Behavior<Command> restarting() {
    handBack(true, name + ": its " + kind.name() + " worker restarted after a failure");
    return closeRunner();
  }

  private int handBack(boolean failed, String reason) {
    int count = 0;
    for (Map.Entry<ActorRef<WorkQueue.Command>, Set<String>> entry : running.entrySet()) {
      if (!entry.getValue().isEmpty()) {
        entry.getKey().tell(new WorkQueue.LeasesReturned(getContext().getSelf(),
            List.copyOf(entry.getValue()), failed, reason));
        count += entry.getValue().size();
      }
    }
    running.clear();
    return count;
  }

  private Behavior<Command> closeRunner() {
    runner.close();
    return this;
  }
}
