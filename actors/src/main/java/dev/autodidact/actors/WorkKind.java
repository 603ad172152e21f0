package dev.autodidact.actors;

import akka.actor.typed.receptionist.ServiceKey;
import com.google.protobuf.Message;
import java.util.function.Function;

/**
 * One kind of work handed out by work pulling (verification, inference): its protobuf job and
 * result types, how to read their ids, and the Receptionist keys under which its queues and
 * workers find each other. A queue and a worker of different kinds never meet.
 *
 * @param name what the work is called in logs ("verification")
 * @param jobType the job message
 * @param resultType the result message
 * @param jobId a job's id, unique in its queue
 * @param resultJobId the id of the job a result answers
 * @param resultWorker the node that produced a result (for the queue's counters)
 * @param failure a result that says the job failed, with a one-line reason
 * @param startWorkers what to start when jobs wait and no worker offers room (for the warning)
 */
public record WorkKind<J extends Message, R extends Message>(
    String name,
    Class<J> jobType,
    Class<R> resultType,
    Function<J, String> jobId,
    Function<R, String> resultJobId,
    Function<R, String> resultWorker,
    Failure<R> failure,
    String startWorkers) {

  /** Builds the result that fails job {@code jobId} for {@code reason}, as node {@code worker} saw it. */
  @FunctionalInterface
  public interface Failure<R> {
    R of(String jobId, String reason, String worker);
  }

  /** Where the queues of this kind register. */
  public ServiceKey<WorkQueue.Command> queues() {
    return ServiceKey.create(WorkQueue.Command.class, "autodidact-" + name + "-queue");
  }

  /** Where the workers of this kind register. */
  public ServiceKey<PullingWorker.Command> workers() {
    return ServiceKey.create(PullingWorker.Command.class, "autodidact-" + name + "-worker");
  }

  /** {@code message} as this kind's job. */
  J job(Message message) {
    if (!jobType.isInstance(message)) {
      throw new IllegalArgumentException("a " + name + " worker got a " + message.getDescriptorForType().getFullName()
          + " job");
    }
    return jobType.cast(message);
  }
}
