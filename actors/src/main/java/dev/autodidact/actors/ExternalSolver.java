package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.task.Task;
import dev.autodidact.persistence.proto.ExternalSolution;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.RolloutGroup;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The external solver of limit breaking. The built-in {@code oracle} writes the correct
 * answer from the executor's gold data, as a human-annotated dataset would. Its answers are
 * verified like any rollout, and scored by the sampling policy, because the update treats
 * them as off-policy samples with behaviour log-probs.
 */
public final class ExternalSolver extends AbstractBehavior<ExternalSolver.Command> {

  public sealed interface Command permits SolveUnsolved, Solved {}

  public record SolveUnsolved(
      long step, String checkpoint, List<Task> tasks, ActorRef<StatusReply<ExternalSolutionsUsed>> replyTo)
      implements Command {}

  private record Solved(ExternalSolutionsUsed solutions, Throwable failure,
      ActorRef<StatusReply<ExternalSolutionsUsed>> replyTo) implements Command {}

  private final TaskFormat format;
  private final String solverName;
  private final Duration timeout;
  private final ActorRef<VerifierPool.Command> verifier;
  private final ActorRef<InferenceWorker.Command> inference;

  public static Behavior<Command> create(
      RunSettings settings, ActorRef<VerifierPool.Command> verifier, ActorRef<InferenceWorker.Command> inference) {
    return Behaviors.setup(context -> new ExternalSolver(context, settings, verifier, inference));
  }

  private ExternalSolver(ActorContext<Command> context, RunSettings settings,
      ActorRef<VerifierPool.Command> verifier, ActorRef<InferenceWorker.Command> inference) {
    super(context);
    this.format = settings.taskFormat();
    this.solverName = settings.externalSolver();
    this.timeout = settings.phaseTimeout();
    this.verifier = verifier;
    this.inference = inference;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SolveUnsolved.class, this::onSolve)
        .onMessage(Solved.class, this::onSolved)
        .build();
  }

  private Behavior<Command> onSolve(SolveUnsolved command) {
    if (command.tasks().isEmpty()) {
      command.replyTo().tell(StatusReply.success(ExternalSolutionsUsed.newBuilder().setStep(command.step()).build()));
      return this;
    }
    List<String> prompts = new ArrayList<>();
    List<int[]> promptTokens = new ArrayList<>();
    List<int[]> answerTokens = new ArrayList<>();
    for (Task task : command.tasks()) {
      String prompt = format.solverPrompt(task);
      prompts.add(prompt);
      promptTokens.add(Generations.promptTokens(prompt));
      answerTokens.add(Generations.answerTokens(format.goldSolverAnswer(task)));
    }
    Scheduler scheduler = getContext().getSystem().scheduler();
    CompletionStage<InferenceWorker.Scored> scored = AskPattern.askWithStatus(inference,
        replyTo -> new InferenceWorker.Score(command.checkpoint(), promptTokens, answerTokens, replyTo),
        timeout, scheduler);
    CompletionStage<ExternalSolutionsUsed> solutions = scored.thenCompose(scores -> {
      RolloutsSampled.Builder asRollouts = RolloutsSampled.newBuilder().setStep(command.step());
      List<Generation> generations = new ArrayList<>();
      for (int i = 0; i < command.tasks().size(); i++) {
        Generation generation =
            Generations.record(prompts.get(i), answerTokens.get(i), scores.logProbs().get(i), true);
        generations.add(generation);
        asRollouts.addGroups(RolloutGroup.newBuilder().setTaskId(command.tasks().get(i).id()).addRollouts(generation));
      }
      CompletionStage<RolloutsVerified> verified = AskPattern.askWithStatus(verifier,
          replyTo -> new VerifierPool.Verify(command.tasks(), asRollouts.build(), replyTo), timeout, scheduler);
      return verified.thenApply(outcomes -> {
        ExternalSolutionsUsed.Builder event = ExternalSolutionsUsed.newBuilder().setStep(command.step());
        for (int i = 0; i < generations.size(); i++) {
          event.addSolutions(ExternalSolution.newBuilder()
              .setTaskId(command.tasks().get(i).id())
              .setSolver(solverName)
              .setGeneration(generations.get(i))
              .setOutcome(outcomes.getGroups(i).getOutcomes(0)));
        }
        return event.build();
      });
    });
    getContext().pipeToSelf(solutions, (event, failure) -> new Solved(event, failure, command.replyTo()));
    return this;
  }

  private Behavior<Command> onSolved(Solved solved) {
    if (solved.failure() != null) {
      solved.replyTo().tell(StatusReply.error("external solver: " + solved.failure().getMessage()));
    } else {
      solved.replyTo().tell(StatusReply.success(solved.solutions()));
    }
    return this;
  }
}
