package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run's jobs of one {@link WorkKind} (its verifications, its inference requests), handed to
 * every {@link PullingWorker} of that kind in the cluster by work pulling: a worker says how
 * many jobs it can hold, gets them on a lease, and sends back one result per job. A lease that
 * expires, or whose worker leaves the cluster, puts its jobs back for another worker; the
 * first result for a job counts and later ones are dropped, so a job never counts twice.
 * Results are pure functions of their job (the sandbox is deterministic; sampling draws from
 * the row's own noise stream), so which worker ran a job never changes what the run sees.
 */
public final class WorkQueue<J extends Message, R extends Message> extends AbstractBehavior<WorkQueue.Command> {

  public sealed interface Command
      permits Submit, Cancel, WorkWanted, JobDone, LeasesReturned, WorkersChanged, Tick, GetStats {}

  /** Run these jobs (ids unique in this queue); the reply holds their results in the same order. */
  public record Submit<J extends Message, R extends Message>(List<J> jobs, ActorRef<List<R>> replyTo)
      implements Command {}

  /**
   * Withdraw these jobs: their requester stopped waiting (its phase timed out and will be tried
   * again with new jobs), so they must not hold workers ahead of the retry's.
   */
  public record Cancel(List<String> jobIds) implements Command {}

  /**
   * A worker holds up to {@code capacity} of this queue's jobs at a time. Workers repeat it
   * every few seconds: it sets, never adds, so a repeat, a lost message or a worker that
   * dropped out of the listing and came back all end in the same state.
   */
  public record WorkWanted(ActorRef<PullingWorker.Command> worker, int capacity) implements Command, ClusterMessage {}

  /** One job's result, from whichever worker ran it. */
  public record JobDone(Message result) implements Command, ClusterMessage {}

  /**
   * A worker gives back jobs it will not finish: because it leaves ({@code failed} false: no
   * attempt lost), or because its node failed to run them ({@code failed} true: the attempt
   * counts, so a job that breaks every node is given up instead of going round forever).
   */
  public record LeasesReturned(ActorRef<PullingWorker.Command> worker, List<String> jobIds, boolean failed,
      String reason) implements Command, ClusterMessage {}

  private record WorkersChanged(Set<ActorRef<PullingWorker.Command>> workers) implements Command {}

  private record Tick() implements Command {}

  /** The queue's counters, for metrics and tests. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command, ClusterMessage {}

  /**
   * @param kind the queue's {@link WorkKind} name
   * @param completedByWorker results that counted, per worker (its node's address)
   */
  public record Stats(String kind, int waiting, int leased, int workers, long completed, long duplicates,
      Map<String, Long> completedByWorker, int refusingWorkers) implements ClusterMessage {}

  /** Lost leases after which a job is given up as a failure (it is likely what kills its workers). */
  static final int MAX_ATTEMPTS = 3;

  private final WorkKind<J, R> kind;
  private final Duration leaseTime;
  private final JobQueue<ActorRef<PullingWorker.Command>, J> jobs = new JobQueue<>(MAX_ATTEMPTS);
  private final Map<ActorRef<PullingWorker.Command>, Integer> capacity = new LinkedHashMap<>();
  private final Set<ActorRef<PullingWorker.Command>> workers = new HashSet<>();
  private final Map<String, Batch<R>> batchOfJob = new HashMap<>();
  private final Map<String, Long> completedByWorker = new HashMap<>();
  /** Workers that hand back this queue's jobs because they are set up differently from its run, with why. */
  private final Map<ActorRef<PullingWorker.Command>, String> refusals = new LinkedHashMap<>();
  private long completed;
  private long duplicates;

  /** One Submit: its results fill in as they come. */
  private static final class Batch<R> {
    final List<String> jobIds;
    final Map<String, R> results = new HashMap<>();
    final ActorRef<List<R>> replyTo;

    Batch(List<String> jobIds, ActorRef<List<R>> replyTo) {
      this.jobIds = jobIds;
      this.replyTo = replyTo;
    }
  }

  public static <J extends Message, R extends Message> Behavior<Command> create(WorkKind<J, R> kind,
      Duration leaseTime) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(), leaseTime.dividedBy(4));
      return new WorkQueue<>(context, kind, leaseTime);
    }));
  }

  private WorkQueue(ActorContext<Command> context, WorkKind<J, R> kind, Duration leaseTime) {
    super(context);
    this.kind = kind;
    this.leaseTime = leaseTime;
    context.getSystem().receptionist().tell(Receptionist.register(kind.queues(), context.getSelf()));
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
        // All instances, reachable or not: a worker that misses heartbeats for a while keeps its
        // leases (and attempts) until SBR removes its node or the lease ends.
        listing -> new WorkersChanged(listing.getAllServiceInstances(kind.workers())));
    context.getSystem().receptionist().tell(Receptionist.subscribe(kind.workers(), listings));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(WorkWanted.class, this::onWorkWanted)
        .onMessage(JobDone.class, this::onJobDone)
        .onMessage(LeasesReturned.class, this::onLeasesReturned)
        .onMessage(WorkersChanged.class, this::onWorkersChanged)
        .onMessage(Tick.class, tick -> onTick())
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  @SuppressWarnings("unchecked")
  private Behavior<Command> onSubmit(Submit<?, ?> untyped) {
    Submit<J, R> submit = (Submit<J, R>) untyped;
    List<String> ids = submit.jobs().stream().map(kind.jobId()).toList();
    if (ids.isEmpty()) {
      submit.replyTo().tell(List.of());
      return this;
    }
    Batch<R> batch = new Batch<>(ids, submit.replyTo());
    for (J job : submit.jobs()) {
      String id = kind.jobId().apply(job);
      batchOfJob.put(id, batch);
      jobs.submit(id, job);
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onCancel(Cancel cancel) {
    int withdrawn = jobs.cancel(Set.copyOf(cancel.jobIds()));
    cancel.jobIds().forEach(batchOfJob::remove);
    if (withdrawn > 0) {
      getContext().getLog().info("{} {} jobs withdrawn: their requester stopped waiting", withdrawn, kind.name());
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onWorkWanted(WorkWanted wanted) {
    capacity.put(wanted.worker(), wanted.capacity());
    dispatch();
    return this;
  }

  private Behavior<Command> onJobDone(JobDone done) {
    if (!kind.resultType().isInstance(done.result())) {
      getContext().getLog().warn("a {} queue got a {} result; dropped (is a node of another build in the cluster?)",
          kind.name(), done.result().getDescriptorForType().getFullName());
      return this;
    }
    R result = kind.resultType().cast(done.result());
    String jobId = kind.resultJobId().apply(result);
    switch (jobs.complete(jobId)) {
      case ACCEPTED -> {
        completed++;
        completedByWorker.merge(kind.resultWorker().apply(result), 1L, Long::sum);
        deliver(jobId, result);
        dispatch(); // the worker has room again
      }
      case DUPLICATE -> duplicates++;
      case UNKNOWN -> getContext().getLog().debug("result for unknown {} job {}", kind.name(), jobId);
    }
    return this;
  }

  private Behavior<Command> onLeasesReturned(LeasesReturned returned) {
    if (returned.failed()) {
      giveUp(jobs.returnFailed(returned.worker(), returned.jobIds()), "no worker could run it " + MAX_ATTEMPTS
          + " times; the last said: " + returned.reason());
    } else {
      jobs.handBack(returned.worker(), returned.jobIds());
      capacity.remove(returned.worker());
      if (!returned.reason().isEmpty()) {
        refusals.put(returned.worker(), returned.reason()); // the node is not set up for this run
      }
    }
    getContext().getLog().info("{} handed back {} {} jobs{}", returned.worker().path().address(),
        returned.jobIds().size(), kind.name(), returned.failed() ? " it could not run: " + returned.reason() : "");
    dispatch();
    return this;
  }

  private Behavior<Command> onWorkersChanged(WorkersChanged changed) {
    for (ActorRef<PullingWorker.Command> gone : new ArrayList<>(workers)) {
      if (!changed.workers().contains(gone)) {
        capacity.remove(gone);
        refusals.remove(gone);
        int leases = jobs.leasesOf(gone).size();
        giveUp(jobs.release(gone), "its workers left the cluster " + MAX_ATTEMPTS + " times");
        getContext().getLog().info("{} worker {} left; {} of its jobs go to other workers", kind.name(),
            gone.path().address(), leases);
      }
    }
    workers.clear();
    workers.addAll(changed.workers());
    dispatch();
    return this;
  }

  private Behavior<Command> onTick() {
    giveUp(jobs.expire(System.nanoTime()), "its lease expired " + MAX_ATTEMPTS + " times");
    if (jobs.waiting() > 0 && capacity.values().stream().allMatch(room -> room == 0)) {
      getContext().getLog().warn("{} {} jobs wait and no worker offers room: {}{}", jobs.waiting(), kind.name(),
          kind.startWorkers(), refusals.isEmpty() ? "" : "; workers not set up for this run: "
              + String.join("; ", refusals.values()));
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onGetStats(GetStats get) {
    get.replyTo().tell(new Stats(kind.name(), jobs.waiting(), jobs.leased(), workers.size(), completed, duplicates,
        Map.copyOf(completedByWorker), refusals.size()));
    return this;
  }

  /** Leases waiting jobs to workers with room (capacity minus the jobs they hold), in the order they asked. */
  private void dispatch() {
    if (jobs.waiting() == 0) {
      return;
    }
    long deadline = System.nanoTime() + leaseTime.toNanos();
    Set<ActorRef<PullingWorker.Command>> candidates = new HashSet<>();
    capacity.forEach((worker, room) -> {
      if (room > 0) {
        candidates.add(worker);
      }
    });
    for (Map.Entry<ActorRef<PullingWorker.Command>, Integer> entry : capacity.entrySet()) {
      if (jobs.waiting() == 0) {
        break;
      }
      int room = entry.getValue() - jobs.leasesOf(entry.getKey()).size();
      var leases = room <= 0 ? List.<JobQueue.Lease<ActorRef<PullingWorker.Command>, J>>of()
          : jobs.lease(entry.getKey(), room, deadline, candidates);
      if (!leases.isEmpty()) {
        entry.getKey().tell(new PullingWorker.JobsLeased(getContext().getSelf(),
            leases.stream().<Message>map(JobQueue.Lease::job).toList(), leaseTime.toMillis()));
      }
    }
  }

  private void giveUp(List<String> jobIds, String reason) {
    for (String jobId : jobIds) {
      if (jobs.fail(jobId)) {
        getContext().getLog().warn("{} job {} given up: {}", kind.name(), jobId, reason);
        deliver(jobId, kind.failure().of(jobId, reason, ""));
      }
    }
  }

  private void deliver(String jobId, R result) {
    Batch<R> batch = batchOfJob.remove(jobId);
    if (batch == null) {
      return;
    }
    batch.results.put(jobId, result);
    if (batch.results.size() == batch.jobIds.size()) {
      batch.replyTo.tell(batch.jobIds.stream().map(batch.results::get).toList());
      jobs.forget(Set.copyOf(batch.jobIds));
    }
  }
}
