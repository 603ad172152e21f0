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
import dev.autodidact.persistence.proto.cluster.ValidationOutcome;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import dev.autodidact.sandbox.SandboxConfig;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One node's sandbox pool, offered to every {@link VerificationQueue} in the cluster. It tells
 * each queue how many of its jobs it can hold (again every few seconds, so a lost message or a
 * restarted queue costs nothing) and runs what it is leased. A job its node cannot run (the
 * sandbox broke) goes back to the queue, never as the job's answer. A node that leaves
 * gracefully hands back, at once, every job it has not finished (a coordinated-shutdown task
 * runs before the node leaves the cluster); a node that dies loses its leases, which the
 * queues give to other workers.
 */
public final class VerifierWorker extends AbstractBehavior<VerifierWorker.Command> {

  /** Where queues find workers. */
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "autodidact-verifier-worker");

  public sealed interface Command permits JobsLeased, QueuesChanged, Ran, Leave, Announce {}

  /** Jobs for this worker, on lease for {@code leaseMillis}. */
  public record JobsLeased(ActorRef<VerificationQueue.Command> queue, List<VerificationJob> jobs, long leaseMillis)
      implements Command, ClusterMessage {}

  private record QueuesChanged(Set<ActorRef<VerificationQueue.Command>> queues) implements Command {}

  /** A job's end: its result, or the reason this node could not run it (then {@code result} is null). */
  private record Ran(ActorRef<VerificationQueue.Command> queue, String jobId, VerificationResult result,
      String couldNotRun) implements Command {}

  /** Time to tell every queue this worker's capacity again. */
  private record Announce() implements Command {}

  /** How often a worker repeats its capacity to every queue it knows. */
  static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(3);

  /** Stop taking work and hand back every unfinished job. */
  public record Leave(ActorRef<Done> replyTo) implements Command {}

  private final int capacity;
  private final String name;
  private final SandboxPool pool;
  private final Verifier verifier;
  private final Set<ActorRef<VerificationQueue.Command>> queues = new HashSet<>();
  private final Map<ActorRef<VerificationQueue.Command>, Set<String>> running = new HashMap<>();
  private boolean leaving;

  /** About twice the pool's processes: a job is one to three executions, and results wait for their messages. */
  public static int capacityFor(SandboxConfig sandbox) {
    return 2 * sandbox.maxWorkers();
  }

  /**
   * @param capacity jobs this worker holds from each queue at a time (a job is one to three
   *     sandbox executions; about twice the pool's processes keeps them busy)
   */
  public static Behavior<Command> create(SandboxConfig sandbox, int capacity) {
    return Behaviors.setup(context -> {
      ActorRef<Command> self = context.getSelf();
      akka.actor.typed.ActorSystem<?> system = context.getSystem();
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(),
          "hand-back-verification-leases-" + self.path().name(),
          () -> AskPattern.<Command, Done>ask(self, Leave::new, Duration.ofSeconds(5), system.scheduler())
              .exceptionally(failure -> Done.getInstance()));
      return Behaviors.<Command>withTimers(timers -> {
        timers.startTimerWithFixedDelay(new Announce(), ANNOUNCE_EVERY);
        return new VerifierWorker(context, sandbox, capacity);
      });
    });
  }

  private VerifierWorker(ActorContext<Command> context, SandboxConfig sandbox, int capacity) {
    super(context);
    this.capacity = capacity;
    this.name = context.getSystem().address().toString();
    this.pool = SandboxPool.start(sandbox);
    this.verifier = new Verifier(pool);
    context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
        listing -> new QueuesChanged(listing.getServiceInstances(VerificationQueue.KEY)));
    context.getSystem().receptionist().tell(Receptionist.subscribe(VerificationQueue.KEY, listings));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(QueuesChanged.class, this::onQueuesChanged)
        .onMessage(JobsLeased.class, this::onJobsLeased)
        .onMessage(Ran.class, this::onRan)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Announce.class, announce -> onAnnounce())
        .onSignal(PostStop.class, signal -> closePool())
        .onSignal(PreRestart.class, signal -> restarting())
        .build();
  }

  private Behavior<Command> onQueuesChanged(QueuesChanged changed) {
    for (ActorRef<VerificationQueue.Command> queue : changed.queues()) {
      if (!queues.contains(queue) && !leaving) {
        queue.tell(new VerificationQueue.WorkWanted(getContext().getSelf(), capacity));
      }
    }
    queues.clear();
    queues.addAll(changed.queues());
    return this;
  }

  private Behavior<Command> onAnnounce() {
    if (!leaving) {
      for (ActorRef<VerificationQueue.Command> queue : queues) {
        queue.tell(new VerificationQueue.WorkWanted(getContext().getSelf(), capacity));
      }
    }
    return this;
  }

  private Behavior<Command> onJobsLeased(JobsLeased leased) {
    if (leaving) {
      leased.queue().tell(new VerificationQueue.LeasesReturned(getContext().getSelf(),
          leased.jobs().stream().map(VerificationJob::getJobId).toList(), false));
      return this;
    }
    for (VerificationJob job : leased.jobs()) {
      if (!running.computeIfAbsent(leased.queue(), q -> new HashSet<>()).add(job.getJobId())) {
        continue; // already running here (a repeated lease)
      }
      CompletableFuture<VerificationResult> verified;
      try {
        verified = run(job);
      } catch (IllegalArgumentException e) { // the verifier refuses the job itself (e.g. mismatched lists)
        verified = CompletableFuture.completedFuture(refused(job, e));
      }
      getContext().pipeToSelf(verified, (result, failure) -> failure == null
          ? new Ran(leased.queue(), job.getJobId(), result, null)
          : failure instanceof IllegalArgumentException refusal
              ? new Ran(leased.queue(), job.getJobId(), refused(job, refusal), null)
              : new Ran(leased.queue(), job.getJobId(), null, String.valueOf(failure.getMessage())));
    }
    return this;
  }

  private VerificationResult refused(VerificationJob job, IllegalArgumentException refusal) {
    return VerificationResult.newBuilder().setJobId(job.getJobId()).setWorker(name)
        .setFailure("verifier: " + String.valueOf(refusal.getMessage()).lines().findFirst().orElse("")).build();
  }

  private Behavior<Command> onRan(Ran ran) {
    Set<String> ofQueue = running.getOrDefault(ran.queue(), Set.of());
    if (!ofQueue.remove(ran.jobId())) {
      return this; // handed back already (leaving or restarting)
    }
    if (ran.result() != null) {
      ran.queue().tell(new VerificationQueue.JobDone(ran.result()));
    } else {
      // This node could not run it (its sandbox broke): not the job's answer. The queue gives
      // it to another worker and counts the attempt.
      getContext().getLog().warn("could not run verification job {}: {}", ran.jobId(), ran.couldNotRun());
      ran.queue().tell(new VerificationQueue.LeasesReturned(getContext().getSelf(), List.of(ran.jobId()), true));
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    leaving = true;
    int handedBack = handBack(false);
    getContext().getSystem().receptionist().tell(Receptionist.deregister(KEY, getContext().getSelf()));
    getContext().getLog().info("leaving: handed back {} unfinished verification jobs", handedBack);
    leave.replyTo().tell(Done.getInstance());
    return this;
  }

  /** Before a restart: what runs now is lost with the pool, so it goes back (the attempt counts). */
  private Behavior<Command> restarting() {
    handBack(true);
    return closePool();
  }

  private int handBack(boolean failed) {
    int count = 0;
    for (Map.Entry<ActorRef<VerificationQueue.Command>, Set<String>> entry : running.entrySet()) {
      if (!entry.getValue().isEmpty()) {
        entry.getKey().tell(new VerificationQueue.LeasesReturned(getContext().getSelf(),
            List.copyOf(entry.getValue()), failed));
        count += entry.getValue().size();
      }
    }
    running.clear();
    return count;
  }

  /** Runs one job in this node's sandbox. */
  private CompletableFuture<VerificationResult> run(VerificationJob job) {
    VerificationResult.Builder result = VerificationResult.newBuilder().setJobId(job.getJobId()).setWorker(name);
    return switch (job.getKindCase()) {
      case VALIDATE -> verifier.validate(job.getValidate().getProgram(), job.getValidate().getInputsList())
          .thenApply(v -> result.setValidation(ValidationOutcome.newBuilder().setValid(v.valid())
              .addAllOutputs(v.outputs()).setReason(v.reason() == null ? "" : v.reason())).build());
      case DEDUCTION -> verifier.checkDeduction(job.getDeduction().getProgram(), job.getDeduction().getInput(),
          job.getDeduction().getAnswer()).thenApply(v -> result.setVerdict(verdict(v)).build());
      case ABDUCTION -> verifier.checkAbduction(job.getAbduction().getProgram(), job.getAbduction().getAnswer(),
          job.getAbduction().getGoldOutput()).thenApply(v -> result.setVerdict(verdict(v)).build());
      case INDUCTION -> verifier.checkInduction(job.getInduction().getAnswer(), job.getInduction().getInputsList(),
          job.getInduction().getOutputsList()).thenApply(v -> result.setVerdict(verdict(v)).build());
      case KIND_NOT_SET -> CompletableFuture.completedFuture(result.setFailure("a job with nothing to verify").build());
    };
  }

  static Verdict verdict(Verifier.Verdict verdict) {
    return switch (verdict) {
      case CORRECT -> Verdict.CORRECT;
      case WRONG -> Verdict.WRONG;
      case MALFORMED -> Verdict.MALFORMED;
    };
  }

  private Behavior<Command> closePool() {
    pool.close();
    return this;
  }
}
