package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;

/**
 * Stands in for the run's {@link Learner} when the learner is a shard entity
 * ({@link RunLearner}) on a {@code learner} node: speaks the Learner's protocol to the
 * TrainingRun, and sends each update to the run's learner entity wherever it is. It asks every
 * {@link #POLL} how the update stands; a learner that does not know it (it started on another
 * node after its node died) gets the update again, so a learner node lost mid-update costs the
 * update's time, not the run.
 */
final class RemoteLearner {
  static final Duration POLL = Duration.ofSeconds(5);

  /** Polls without any answer before the log says no learner seems to be there. */
  static final int SILENT_POLLS_BEFORE_WARNING = 12;

  private enum Poll { INSTANCE }

  private RemoteLearner() {}

  static Behavior<Learner.Command> create(String runId, ActorRef<ShardingEnvelope<RunLearner.Command>> learners) {
    return Behaviors.<Object>setup(context -> Behaviors.withTimers(timers ->
        idle(context, timers, runId, learners))).narrow();
  }

  private static Behavior<Object> idle(ActorContext<Object> context, TimerScheduler<Object> timers, String runId,
      ActorRef<ShardingEnvelope<RunLearner.Command>> learners) {
    return Behaviors.receive(Object.class)
        .onMessage(Learner.Update.class, update -> updating(context, timers, runId, learners, update))
        .onAnyMessage(late -> Behaviors.same()) // a status of an update already answered, or a stray poll
        .build();
  }

  private static Behavior<Object> updating(ActorContext<Object> context, TimerScheduler<Object> timers, String runId,
      ActorRef<ShardingEnvelope<RunLearner.Command>> learners, Learner.Update update) {
    ActorRef<RunLearner.Status> self = context.getSelf().narrow();
    Runnable sendWhole = () -> learners.tell(new ShardingEnvelope<>(runId, new RunLearner.Train(update.step(),
        update.checkpoint(), update.samples(), false, self)));
    sendWhole.run();
    timers.startTimerWithFixedDelay(Poll.INSTANCE, POLL);
    int[] silentPolls = {0};
    return Behaviors.receive(Object.class)
        .onMessageEquals(Poll.INSTANCE, () -> {
          if (++silentPolls[0] == SILENT_POLLS_BEFORE_WARNING) {
            context.getLog().warn("step {}: no learner has answered for {} s; is a node with the learner role in the"
                + " cluster (autodidact node --roles learner --journal-url URL)?", update.step(),
                POLL.multipliedBy(SILENT_POLLS_BEFORE_WARNING).toSeconds());
          }
          learners.tell(new ShardingEnvelope<>(runId, new RunLearner.Train(update.step(), update.checkpoint(),
              List.of(), true, self)));
          return Behaviors.same();
        })
        .onMessage(RunLearner.Status.class, status -> {
          silentPolls[0] = 0;
          if (status.step() != update.step() || !status.checkpoint().equals(update.checkpoint())) {
            return Behaviors.same();
          }
          switch (status.state()) {
            case WORKING -> {
              return Behaviors.same();
            }
            case UNKNOWN -> {
              context.getLog().info("step {}: the learner does not know the update (it moved); sending it again",
                  update.step());
              sendWhole.run();
              return Behaviors.same();
            }
            case DONE -> update.replyTo().tell(StatusReply.success(status.updated().orElseThrow()));
            case FAILED -> update.replyTo().tell(StatusReply.error(status.error()));
            default -> throw new IllegalStateException("unknown state " + status.state());
          }
          timers.cancel(Poll.INSTANCE);
          return idle(context, timers, runId, learners);
        })
        .onMessage(Learner.Update.class, next -> {
          // The run asks again (its ask timed out, or it retries): follow the newest request.
          timers.cancel(Poll.INSTANCE);
          return updating(context, timers, runId, learners, next);
        })
        .build();
  }
}
