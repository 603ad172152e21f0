package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import dev.autodidact.core.format.Parsed;
import dev.autodidact.core.format.TaskFormat;
import dev.autodidact.core.task.Task;
import dev.autodidact.persistence.proto.Generation;
import dev.autodidact.persistence.proto.GroupOutcomes;
import dev.autodidact.persistence.proto.Outcome;
import dev.autodidact.persistence.proto.ProposedTask;
import dev.autodidact.persistence.proto.RolloutGroup;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import dev.autodidact.persistence.proto.TasksProposed;
import dev.autodidact.persistence.proto.TasksValidated;
import dev.autodidact.persistence.proto.Validation;
import dev.autodidact.sandbox.SandboxPool;
import dev.autodidact.sandbox.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Verification by execution: validates proposed tasks and checks rollouts, in the sandbox's
 * warm Python workers. Owns the sandbox pool, so a restart of this actor replaces every
 * worker process.
 */
public final class VerifierPool extends AbstractBehavior<VerifierPool.Command> {

  public sealed interface Command permits Validate, Verify, Finished {}

  /** Validate every proposal of a step; the reply is aligned with the proposals. */
  public record Validate(TasksProposed proposals, ActorRef<StatusReply<TasksValidated>> replyTo) implements Command {}

  /** Check every rollout of a step against its task; the reply is aligned with the groups. */
  public record Verify(List<Task> tasks, RolloutsSampled rollouts, ActorRef<StatusReply<RolloutsVerified>> replyTo)
      implements Command {}

  private record Finished(Object result, Throwable failure, ActorRef<StatusReply<Object>> replyTo)
      implements Command {}

  private final TaskFormat format;
  private final SandboxPool pool;
  private final Verifier verifier;

  public static Behavior<Command> create(RunSettings settings) {
    return Behaviors.setup(context -> new VerifierPool(context, settings));
  }

  private VerifierPool(ActorContext<Command> context, RunSettings settings) {
    super(context);
    this.format = settings.taskFormat();
    this.pool = SandboxPool.start(settings.sandboxConfig());
    this.verifier = new Verifier(pool);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Validate.class, this::onValidate)
        .onMessage(Verify.class, this::onVerify)
        .onMessage(Finished.class, this::onFinished)
        .onSignal(PostStop.class, signal -> closePool())
        .onSignal(PreRestart.class, signal -> closePool())
        .build();
  }

  private Behavior<Command> onValidate(Validate command) {
    TasksProposed proposed = command.proposals();
    List<CompletableFuture<Validation>> validations = new ArrayList<>();
    for (int i = 0; i < proposed.getProposalsCount(); i++) {
      validations.add(validate(proposed.getStep(), i, proposed.getProposals(i)));
    }
    reply(all(validations), list -> TasksValidated.newBuilder()
        .setStep(proposed.getStep()).addAllValidations(list).build(), command.replyTo());
    return this;
  }

  private CompletableFuture<Validation> validate(long step, int index, ProposedTask proposal) {
    if (!proposal.getWellFormed()) {
      return CompletableFuture.completedFuture(
          Validation.newBuilder().setValid(false).setReason("malformed: " + proposal.getMalformedReason()).build());
    }
    String taskId = taskId(step, proposal, index);
    return verifier.validate(proposal.getProgram(), proposal.getInputsList()).thenApply(v -> v.valid()
        ? Validation.newBuilder().setValid(true).setTaskId(taskId).addAllOutputs(v.outputs()).build()
        : Validation.newBuilder().setValid(false).setReason(v.reason()).build());
  }

  /** Task ids name their step, type and proposal index: "s12-D3". */
  static String taskId(long step, ProposedTask proposal, int index) {
    return "s" + step + "-" + Generations.fromProto(proposal.getType()).code() + index;
  }

  private Behavior<Command> onVerify(Verify command) {
    Map<String, Task> tasks = command.tasks().stream().collect(Collectors.toMap(Task::id, Function.identity()));
    List<CompletableFuture<GroupOutcomes>> groups = new ArrayList<>();
    for (RolloutGroup group : command.rollouts().getGroupsList()) {
      Task task = tasks.get(group.getTaskId());
      if (task == null) {
        throw new IllegalArgumentException("rollouts for unknown task " + group.getTaskId());
      }
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (Generation rollout : group.getRolloutsList()) {
        outcomes.add(check(task, rollout));
      }
      groups.add(all(outcomes).thenApply(list ->
          GroupOutcomes.newBuilder().setTaskId(task.id()).addAllOutcomes(list).build()));
    }
    reply(all(groups), list -> RolloutsVerified.newBuilder()
        .setStep(command.rollouts().getStep()).addAllGroups(list).build(), command.replyTo());
    return this;
  }

  private CompletableFuture<Outcome> check(Task task, Generation rollout) {
    if (!rollout.getFinished()) {
      return CompletableFuture.completedFuture(Outcome.MALFORMED);
    }
    Parsed<String> answer = format.parseSolverAnswer(task.type(), rollout.getText());
    if (!answer.isOk()) {
      return CompletableFuture.completedFuture(Outcome.MALFORMED);
    }
    CompletableFuture<Verifier.Verdict> verdict = switch (task.type()) {
      case DEDUCTION -> verifier.checkDeduction(task.program(), task.input(), answer.value());
      case ABDUCTION -> verifier.checkAbduction(task.program(), answer.value(), task.output());
      case INDUCTION -> verifier.checkInduction(answer.value(), task.inputs(), task.outputs());
    };
    return verdict.thenApply(v -> switch (v) {
      case CORRECT -> Outcome.CORRECT;
      case WRONG -> Outcome.WRONG;
      case MALFORMED -> Outcome.MALFORMED;
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T, R> void reply(CompletableFuture<List<T>> results, Function<List<T>, R> toEvent,
      ActorRef<StatusReply<R>> replyTo) {
    getContext().pipeToSelf(results.thenApply(toEvent),
        (event, failure) -> new Finished(event, failure, (ActorRef) replyTo));
  }

  private Behavior<Command> onFinished(Finished finished) {
    if (finished.failure() != null) {
      finished.replyTo().tell(StatusReply.error("verifier: " + finished.failure().getMessage()));
    } else {
      finished.replyTo().tell(StatusReply.success(finished.result()));
    }
    return this;
  }

  private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> futures.stream().map(CompletableFuture::join).toList());
  }

  private Behavior<Command> closePool() {
    pool.close();
    return this;
  }
}
