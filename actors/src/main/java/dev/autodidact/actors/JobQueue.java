package dev.autodidact.actors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Jobs handed out by work pulling, as pure state: a worker asks for up to n jobs and gets them
 * on a lease; a lease that expires, or whose worker leaves, puts the job back at the front of
 * the queue; the first result for a job completes it and every later one is a duplicate. A job
 * whose leases were lost {@code maxAttempts} times is given up (it is likely what kills its
 * workers). Time is whatever the caller counts in (nanoseconds in the actor), so this class
 * never reads a clock.
 *
 * @param <W> who takes jobs (an actor in the cluster, a name in tests)
 * @param <J> the job
 */
public final class JobQueue<W, J> {

  /** A job on lease to {@code worker} until {@code deadline}. */
  public record Lease<W, J>(String jobId, J job, W worker, long deadline) {}

  /** What a result did to the queue. */
  public enum Completion {
    /** The first result for this job: it counts. */
    ACCEPTED,
    /** The job was already completed: this result is ignored. */
    DUPLICATE,
    /** No such job was ever submitted. */
    UNKNOWN
  }

  private final int maxAttempts;
  private final LinkedHashMap<String, J> waiting = new LinkedHashMap<>();
  private final Map<String, Lease<W, J>> leased = new HashMap<>();
  private final Map<String, Integer> lostLeases = new HashMap<>();
  private final Set<String> completed = new HashSet<>();
  private final Map<String, J> known = new HashMap<>();
  /** Workers that failed each job: it goes to them again only when every candidate has. */
  private final Map<String, Set<W>> failedOn = new HashMap<>();
  /** Withdrawn jobs still on lease: they hold their worker's room until they end, then vanish. */
  private final Set<String> withdrawn = new HashSet<>();

  public JobQueue(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  /** Adds a job; a job id the queue already knows is ignored (submitting is idempotent too). */
  public void submit(String jobId, J job) {
    Objects.requireNonNull(job, "job");
    if (known.putIfAbsent(jobId, job) == null) {
      waiting.put(jobId, job);
    }
  }

  /** Leases up to {@code credits} waiting jobs, oldest first, to {@code worker} until {@code deadline}. */
  public List<Lease<W, J>> lease(W worker, int credits, long deadline) {
    return lease(worker, credits, deadline, Set.of(worker));
  }

  /**
   * Like {@link #lease(Object, int, long)}, but a job that {@code worker} failed to run waits
   * for another of the {@code candidates} (the workers that take this queue's jobs), unless it
   * failed on every one of them: a broken node never burns a job's attempts while a sound one
   * could run it.
   */
  public List<Lease<W, J>> lease(W worker, int credits, long deadline, Set<W> candidates) {
    List<Lease<W, J>> leases = new ArrayList<>();
    Iterator<Map.Entry<String, J>> jobs = waiting.entrySet().iterator();
    while (leases.size() < credits && jobs.hasNext()) {
      Map.Entry<String, J> job = jobs.next();
      Set<W> failed = failedOn.getOrDefault(job.getKey(), Set.of());
      if (failed.contains(worker) && !failed.containsAll(candidates)) {
        continue;
      }
      jobs.remove();
      Lease<W, J> lease = new Lease<>(job.getKey(), job.getValue(), worker, deadline);
      leased.put(job.getKey(), lease);
      leases.add(lease);
    }
    return leases;
  }

  /** Records a result; whoever sends it (even after its lease expired), the first one counts. */
  public Completion complete(String jobId) {
    if (!known.containsKey(jobId)) {
      return Completion.UNKNOWN;
    }
    if (withdrawn.remove(jobId)) {
      drop(jobId);
      return Completion.UNKNOWN;
    }
    if (!completed.add(jobId)) {
      return Completion.DUPLICATE;
    }
    leased.remove(jobId);
    waiting.remove(jobId);
    failedOn.remove(jobId);
    return Completion.ACCEPTED;
  }

  /**
   * Takes back every lease that ended before {@code now}; their jobs wait again, ahead of
   * newer ones.
   *
   * @return the jobs given up because they lost too many leases (the caller fails them)
   */
  public List<String> expire(long now) {
    return takeBack(lease -> lease.deadline() < now);
  }

  /**
   * Takes back every lease of {@code worker} (it left, or it died); their jobs wait again.
   *
   * @return the jobs given up because they lost too many leases (the caller fails them)
   */
  public List<String> release(W worker) {
    return takeBack(lease -> lease.worker().equals(worker));
  }

  /** Takes back the given leases of {@code worker}, which hands them back unfinished (no attempt lost). */
  public void handBack(W worker, List<String> jobIds) {
    List<String> returned = new ArrayList<>();
    for (String jobId : jobIds) {
      Lease<W, J> lease = leased.get(jobId);
      if (lease != null && lease.worker().equals(worker)) {
        leased.remove(jobId);
        if (withdrawn.remove(jobId)) {
          drop(jobId);
        } else {
          returned.add(jobId);
        }
      }
    }
    requeueFirst(returned);
  }

  /**
   * Takes back leases of {@code worker} that it failed to run: each counts as a lost attempt.
   *
   * @return the jobs given up because they lost too many leases (the caller fails them)
   */
  public List<String> returnFailed(W worker, List<String> jobIds) {
    Set<String> returned = Set.copyOf(jobIds);
    for (String jobId : returned) {
      Lease<W, J> lease = leased.get(jobId);
      if (lease != null && lease.worker().equals(worker)) {
        failedOn.computeIfAbsent(jobId, id -> new HashSet<>()).add(worker);
      }
    }
    return takeBack(lease -> lease.worker().equals(worker) && returned.contains(lease.jobId()));
  }

  /** Gives up a job for good, as completed with a failure; false if it was completed already. */
  public boolean fail(String jobId) {
    return complete(jobId) == Completion.ACCEPTED;
  }

  private List<String> takeBack(java.util.function.Predicate<Lease<W, J>> which) {
    List<String> back = new ArrayList<>();
    List<String> givenUp = new ArrayList<>();
    for (Iterator<Lease<W, J>> leases = leased.values().iterator(); leases.hasNext(); ) {
      Lease<W, J> lease = leases.next();
      if (which.test(lease)) {
        leases.remove();
        if (withdrawn.remove(lease.jobId())) {
          drop(lease.jobId()); // nobody waits for it: it ends here
          continue;
        }
        int lost = lostLeases.merge(lease.jobId(), 1, Integer::sum);
        (lost >= maxAttempts ? givenUp : back).add(lease.jobId());
      }
    }
    back.sort(null); // HashMap order is arbitrary; keep requeueing reproducible
    requeueFirst(back);
    givenUp.sort(null);
    return givenUp;
  }

  private void requeueFirst(List<String> jobIds) {
    if (jobIds.isEmpty()) {
      return;
    }
    LinkedHashMap<String, J> reordered = new LinkedHashMap<>();
    for (String jobId : jobIds) {
      reordered.put(jobId, known.get(jobId));
    }
    reordered.putAll(waiting);
    waiting.clear();
    waiting.putAll(reordered);
  }

  /** Jobs waiting for a worker. */
  public int waiting() {
    return waiting.size();
  }

  /** Jobs on lease. */
  public int leased() {
    return leased.size();
  }

  /** Jobs submitted and not yet completed (waiting or on lease). */
  public int open() {
    return known.size() - completed.size();
  }

  /** The leases {@code worker} holds now. */
  public List<Lease<W, J>> leasesOf(W worker) {
    return leased.values().stream().filter(lease -> lease.worker().equals(worker)).toList();
  }

  /**
   * Withdraws jobs nobody waits for any more (their requester timed out). Waiting ones are
   * dropped at once. Leased ones keep their lease, and so hold their worker's room, until their
   * result comes (it is then {@link Completion#UNKNOWN}), they are handed back, or the lease
   * ends; then they are dropped, never queued again. Completed ones are forgotten.
   *
   * @return how many open jobs were withdrawn
   */
  public int cancel(Set<String> jobIds) {
    int cancelled = 0;
    for (String jobId : jobIds) {
      if (completed.remove(jobId)) {
        drop(jobId);
      } else if (waiting.containsKey(jobId)) {
        drop(jobId);
        cancelled++;
      } else if (leased.containsKey(jobId) && withdrawn.add(jobId)) {
        cancelled++;
      }
    }
    return cancelled;
  }

  private void drop(String jobId) {
    waiting.remove(jobId);
    leased.remove(jobId);
    known.remove(jobId);
    lostLeases.remove(jobId);
    failedOn.remove(jobId);
  }

  /** Forgets completed jobs (their ids would otherwise be kept for duplicate detection forever). */
  public void forget(Set<String> jobIds) {
    for (String jobId : jobIds) {
      if (completed.remove(jobId)) {
        drop(jobId);
      }
    }
  }
}
