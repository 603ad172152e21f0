package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.actors.JobQueue.Completion;
import dev.autodidact.actors.JobQueue.Lease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class JobQueueTest {

  @Test
  void jobsGoOutOldestFirstUpToTheWorkersCredits() {
    JobQueue<String, String> queue = new JobQueue<>(3);
    for (int i = 0; i < 5; i++) {
      queue.submit("j" + i, "job " + i);
    }
    assertThat(queue.lease("a", 2, 100)).extracting(Lease::jobId).containsExactly("j0", "j1");
    assertThat(queue.lease("b", 9, 100)).extracting(Lease::jobId).containsExactly("j2", "j3", "j4");
    assertThat(queue.waiting()).isZero();
    assertThat(queue.leased()).isEqualTo(5);
  }

  @Test
  void anExpiredLeaseGoesBackToTheFrontAndALateResultStillCountsOnce() {
    JobQueue<String, String> queue = new JobQueue<>(3);
    queue.submit("j0", "x");
    queue.submit("j1", "y");
    queue.lease("a", 1, 10);
    assertThat(queue.expire(11)).isEmpty();
    assertThat(queue.lease("b", 1, 50)).extracting(Lease::jobId).containsExactly("j0");
    assertThat(queue.complete("j0")).isEqualTo(Completion.ACCEPTED); // the late worker a
    assertThat(queue.complete("j0")).isEqualTo(Completion.DUPLICATE); // b, too late
    assertThat(queue.complete("nope")).isEqualTo(Completion.UNKNOWN);
    assertThat(queue.leased()).isZero();
    assertThat(queue.open()).isEqualTo(1);
  }

  @Test
  void aLeavingWorkerHandsBackWithoutLosingAnAttemptAndADeadOneLosesOne() {
    JobQueue<String, String> queue = new JobQueue<>(2);
    queue.submit("j0", "x");
    queue.lease("a", 1, 100);
    queue.handBack("a", List.of("j0"));
    queue.lease("b", 1, 100);
    assertThat(queue.release("b")).isEmpty(); // first lost lease
    queue.lease("c", 1, 100);
    assertThat(queue.release("c")).containsExactly("j0"); // second: given up
    assertThat(queue.fail("j0")).isTrue();
    assertThat(queue.open()).isZero();
  }

  @Test
  void aJobItsWorkersCannotRunIsGivenUpAfterMaxAttempts() {
    JobQueue<String, String> queue = new JobQueue<>(2);
    queue.submit("j0", "x");
    queue.submit("j1", "y");
    queue.lease("a", 2, 100);
    assertThat(queue.returnFailed("a", List.of("j0"))).isEmpty();
    assertThat(queue.leasesOf("a")).extracting(Lease::jobId).containsExactly("j1");
    queue.lease("b", 1, 100);
    assertThat(queue.returnFailed("b", List.of("j0", "j1"))).containsExactly("j0"); // j1 is not b's
    assertThat(queue.leasesOf("a")).hasSize(1);
  }

  @Test
  void submittingAKnownJobAgainChangesNothing() {
    JobQueue<String, String> queue = new JobQueue<>(3);
    queue.submit("j0", "x");
    queue.lease("a", 1, 100);
    queue.submit("j0", "x");
    assertThat(queue.waiting()).isZero();
    queue.complete("j0");
    queue.submit("j0", "x");
    assertThat(queue.open()).isZero();
  }

  /**
   * Whatever happens (leases, results from any worker, duplicates, expiries, workers dying or
   * leaving), every job is always in exactly one place, no job counts twice, and once a
   * reliable worker drains the queue every job has counted exactly once or been given up.
   */
  @Test
  void cancelledJobsLeaveTheQueueButALeasedOneHoldsItsRoomUntilItEnds() {
    JobQueue<String, String> queue = new JobQueue<>(3);
    queue.submit("a", "A");
    queue.submit("b", "B");
    queue.submit("c", "C");
    queue.lease("w", 1, 100); // a on lease
    assertThat(queue.complete("c")).isEqualTo(JobQueue.Completion.ACCEPTED);

    assertThat(queue.cancel(Set.of("a", "b", "c"))).as("a and b were open; c was done").isEqualTo(2);

    assertThat(queue.waiting()).isZero();
    assertThat(queue.leasesOf("w")).as("a still runs on w and holds its room").hasSize(1);
    assertThat(queue.complete("a")).isEqualTo(JobQueue.Completion.UNKNOWN);
    assertThat(queue.leased()).isZero();
    assertThat(queue.open()).isZero();
    assertThat(queue.complete("c")).as("forgotten").isEqualTo(JobQueue.Completion.UNKNOWN);
    queue.submit("d", "D");
    assertThat(queue.lease("w", 5, 100)).extracting(JobQueue.Lease::jobId).containsExactly("d");
  }

  @Test
  void aWithdrawnLeaseThatExpiresIsDroppedNotQueuedAgain() {
    JobQueue<String, String> queue = new JobQueue<>(3);
    queue.submit("a", "A");
    queue.lease("w", 1, 100);
    queue.cancel(Set.of("a"));
    assertThat(queue.expire(200)).isEmpty();
    assertThat(queue.waiting()).isZero();
    assertThat(queue.open()).isZero();
  }

  @Test
  void aJobAWorkerFailedWaitsForAnotherWorkerUnlessAllFailedIt() {
    JobQueue<String, String> queue = new JobQueue<>(3);
    queue.submit("a", "A");
    queue.submit("b", "B");
    Set<String> both = Set.of("broken", "sound");
    queue.lease("broken", 2, 100, both);
    assertThat(queue.returnFailed("broken", List.of("a", "b"))).isEmpty();

    assertThat(queue.lease("broken", 2, 100, both)).as("the broken node does not get them again").isEmpty();
    assertThat(queue.lease("sound", 1, 100, both)).extracting(JobQueue.Lease::jobId).containsExactly("a");
    assertThat(queue.lease("broken", 2, 100, Set.of("broken")))
        .as("with no other worker left it gets another try").extracting(JobQueue.Lease::jobId).containsExactly("b");
  }

  @Property(tries = 500)
  void everyJobCountsExactlyOnceWhateverHappens(
      @ForAll @IntRange(min = 1, max = 30) int jobs,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 99) Integer> actions) {
    JobQueue<String, Integer> queue = new JobQueue<>(3);
    for (int i = 0; i < jobs; i++) {
      queue.submit("j" + i, i);
    }
    List<String> workers = List.of("a", "b", "c");
    Map<String, Integer> accepted = new HashMap<>();
    List<String> givenUp = new ArrayList<>();
    long now = 0;
    for (int action : actions) {
      String worker = workers.get(action % workers.size());
      now += action % 7;
      switch (action % 6) {
        case 0, 1 -> queue.lease(worker, 1 + action % 4, now + 5);
        case 2 -> {
          List<Lease<String, Integer>> leases = queue.leasesOf(worker);
          String jobId = leases.isEmpty() ? "j" + (action % jobs) : leases.get(0).jobId();
          if (queue.complete(jobId) == Completion.ACCEPTED) {
            accepted.merge(jobId, 1, Integer::sum);
          }
        }
        case 3 -> failNow(queue.expire(now), queue, givenUp);
        case 4 -> failNow(queue.release(worker), queue, givenUp);
        default -> queue.handBack(worker, queue.leasesOf(worker).stream().map(Lease::jobId).toList());
      }
      assertThat(queue.open()).isEqualTo(queue.waiting() + queue.leased());
    }
    while (queue.waiting() > 0 || queue.leased() > 0) {
      failNow(queue.expire(Long.MAX_VALUE), queue, givenUp);
      for (Lease<String, Integer> lease : queue.lease("reliable", jobs, Long.MAX_VALUE)) {
        if (queue.complete(lease.jobId()) == Completion.ACCEPTED) {
          accepted.merge(lease.jobId(), 1, Integer::sum);
        }
      }
    }
    assertThat(accepted.values()).allMatch(count -> count == 1);
    assertThat(accepted.size() + givenUp.size()).isEqualTo(jobs);
    assertThat(givenUp).allMatch(jobId -> !accepted.containsKey(jobId));
    assertThat(queue.open()).isZero();
  }

  /** As the queue's actor does: a job given up is failed at once. */
  private static void failNow(List<String> jobIds, JobQueue<String, Integer> queue, List<String> failed) {
    for (String jobId : jobIds) {
      if (queue.fail(jobId)) {
        failed.add(jobId);
      }
    }
  }
}
