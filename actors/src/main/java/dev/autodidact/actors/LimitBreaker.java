package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.core.reward.LimitBreaking;
import dev.autodidact.core.reward.Utility;
import dev.autodidact.persistence.proto.LimitBreakDecided;
import dev.autodidact.persistence.proto.LimitBreakDecision;
import java.util.List;

/**
 * The task filter of limit breaking: scores each unsolved task's utility z(x) against the
 * sliding buffer and picks those worth an external solution, within the data budget.
 * The buffer and the budget's counters belong to the TrainingRun (they are rebuilt from its
 * events), so this actor is stateless and restarts for free.
 */
public final class LimitBreaker extends AbstractBehavior<LimitBreaker.Command> {

  public sealed interface Command permits Decide {}

  /** One unsolved task: its id and its features mu (predicted) and novelty. */
  public record Candidate(String taskId, Utility.Features features) {}

  public record Decide(
      long step,
      List<Candidate> candidates,
      List<Utility.Features> buffer,
      long externalUsed,
      long validTasks,
      ActorRef<StatusReply<LimitBreakDecided>> replyTo)
      implements Command {}

  private final RunSettings settings;

  public static Behavior<Command> create(RunSettings settings) {
    return Behaviors.setup(context -> new LimitBreaker(context, settings));
  }

  private LimitBreaker(ActorContext<Command> context, RunSettings settings) {
    super(context);
    this.settings = settings;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Decide.class, this::onDecide).build();
  }

  private Behavior<Command> onDecide(Decide command) {
    command.replyTo().tell(StatusReply.success(decide(settings, command.step(), command.candidates(),
        command.buffer(), command.externalUsed(), command.validTasks())));
    return this;
  }

  /** The step's decisions: what this actor answers, and what a replay recomputes. */
  static LimitBreakDecided decide(RunSettings settings, long step, List<Candidate> candidates,
      List<Utility.Features> buffer, long externalUsed, long validTasks) {
    LimitBreaking.Result result = LimitBreaking.decide(
        candidates.stream().map(Candidate::features).toList(),
        buffer,
        externalUsed,
        validTasks,
        settings.limitBreaking(),
        i -> SeedStream.of(settings.seed(), step, Phase.LIMIT_BREAK, i));
    LimitBreakDecided.Builder event = LimitBreakDecided.newBuilder().setStep(step);
    for (LimitBreaking.Decision decision : result.decisions()) {
      Candidate candidate = candidates.get(decision.candidate());
      event.addDecisions(LimitBreakDecision.newBuilder()
          .setTaskId(candidate.taskId())
          .setMu(candidate.features().mu())
          .setNovelty(candidate.features().novelty())
          .setUtility(decision.utility())
          .setSelected(decision.selected()));
    }
    return event.build();
  }
}
