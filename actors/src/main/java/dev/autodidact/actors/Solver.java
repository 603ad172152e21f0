package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.model.SampleRequest;
import dev.autodidact.persistence.proto.RolloutGroup;
import dev.autodidact.persistence.proto.RolloutsSampled;
import java.util.ArrayList;
import java.util.List;

/** The solver role: K rollouts per valid task, sampled from the policy. */
public final class Solver extends AbstractBehavior<Solver.Command> {

  public sealed interface Command permits Solve, Sampled {}

  public record Solve(long step, String checkpoint, List<Task> tasks, ActorRef<StatusReply<RolloutsSampled>> replyTo)
      implements Command {}

  private record Sampled(
      Solve request, List<String> prompts, InferenceWorker.Generated generated, Throwable failure)
      implements Command {}

  private final RunSettings settings;
  private final TaskFormat format;
  private final ActorRef<InferenceWorker.Command> inference;

  public static Behavior<Command> create(RunSettings settings, ActorRef<InferenceWorker.Command> inference) {
    return Behaviors.setup(context -> new Solver(context, settings, inference));
  }

  private Solver(ActorContext<Command> context, RunSettings settings, ActorRef<InferenceWorker.Command> inference) {
    super(context);
    this.settings = settings;
    this.format = settings.taskFormat();
    this.inference = inference;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Solve.class, this::onSolve)
        .onMessage(Sampled.class, this::onSampled)
        .build();
  }

  private Behavior<Command> onSolve(Solve command) {
    int k = settings.tasks().rollouts();
    List<String> prompts = new ArrayList<>();
    List<SampleRequest> requests = new ArrayList<>();
    for (int t = 0; t < command.tasks().size(); t++) {
      Task task = command.tasks().get(t);
      String prompt = format.solverPrompt(task);
      int[] promptTokens = Generations.promptTokens(prompt);
      int maxTokens = task.type() == TaskType.INDUCTION
          ? settings.tasks().programMaxTokens() : settings.tasks().answerMaxTokens();
      SeedStream taskStream = SeedStream.of(settings.seed(), command.step(), Phase.SOLVE, t);
      for (int j = 0; j < k; j++) {
        prompts.add(prompt);
        requests.add(new SampleRequest(promptTokens, maxTokens, settings.tasks().temperature(), taskStream.child(j)));
      }
    }
    getContext().pipeToSelf(
        AskPattern.<InferenceWorker.Command, InferenceWorker.Generated>askWithStatus(
            inference, replyTo -> new InferenceWorker.Generate(command.checkpoint(), requests, replyTo),
            settings.phaseTimeout(), getContext().getSystem().scheduler()),
        (generated, failure) -> new Sampled(command, prompts, generated, failure));
    return this;
  }

  private Behavior<Command> onSampled(Sampled sampled) {
    Solve request = sampled.request();
    if (sampled.failure() != null) {
      request.replyTo().tell(StatusReply.error("solver: " + sampled.failure().getMessage()));
      return this;
    }
    int k = settings.tasks().rollouts();
    RolloutsSampled.Builder event = RolloutsSampled.newBuilder().setStep(request.step());
    for (int t = 0; t < request.tasks().size(); t++) {
      RolloutGroup.Builder group = RolloutGroup.newBuilder().setTaskId(request.tasks().get(t).id());
      for (int j = 0; j < k; j++) {
        int i = t * k + j;
        group.addRollouts(Generations.record(sampled.prompts().get(i), sampled.generated().completions().get(i)));
      }
      event.addGroups(group);
    }
    request.replyTo().tell(StatusReply.success(event.build()));
    return this;
  }
}
