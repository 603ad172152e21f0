package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
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
import dev.autodidact.persistence.proto.cluster.CheckAbduction;
import dev.autodidact.persistence.proto.cluster.CheckDeduction;
import dev.autodidact.persistence.proto.cluster.CheckInduction;
import dev.autodidact.persistence.proto.cluster.ValidateProgram;
import dev.autodidact.persistence.proto.cluster.ValidationOutcome;
import dev.autodidact.persistence.proto.cluster.Verdict;
import dev.autodidact.persistence.proto.cluster.SandboxLimits;
import dev.autodidact.persistence.proto.cluster.VerificationJob;
import dev.autodidact.persistence.proto.cluster.VerificationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Verification by execution: validates proposed tasks and checks rollouts. It turns each
 * request into sandbox jobs on the run's {@link WorkQueue}, which hands them to every
 * {@link VerifierWorker} in the cluster (in one JVM, the node's own), and turns the results
 * back into the step's event. What cannot be a job (a malformed proposal, an unfinished or
 * unparsable rollout) is decided here, as before any sandbox runs. A job that cannot be run
 * fails the whole request, so the run retries the phase.
 */
public final class VerifierPool extends AbstractBehavior<VerifierPool.Command> {

  public sealed interface Command permits Validate, Verify, Finished {}

  /** Validate every proposal of a step; the reply is aligned with the proposals. */
  public record Validate(TasksProposed proposals, ActorRef<StatusReply<TasksValidated>> replyTo) implements Command {}

  /** Check every rollout of a step against its task; the reply is aligned with the groups. */
  public record Verify(List<Task> tasks, RolloutsSampled rollouts, ActorRef<StatusReply<RolloutsVerified>> replyTo)
      implements Command {}

  private record Finished(Supplier<Object> result, Throwable failure, ActorRef<StatusReply<Object>> replyTo)
      implements Command {}

  /**
   * How long a worker holds a job before the queue gives it to another: long enough for the
   * slowest job (an induction check runs up to a dozen programs, each up to the sandbox's
   * timeout) waiting behind another. A dead node's jobs come back sooner, when it leaves the
   * cluster's listing.
   */
  static Duration lease(RunSettings settings) {
    Duration byTimeout = settings.sandboxConfig().timeout().multipliedBy(60);
    return byTimeout.compareTo(Duration.ofSeconds(30)) > 0 ? byTimeout : Duration.ofSeconds(30);
  }

  private final TaskFormat format;
  private final Duration timeout;
  private final SandboxLimits limits;
  private final ActorRef<WorkQueue.Command> queue;
  private long requests;

  public static Behavior<Command> create(RunSettings settings) {
    return Behaviors.setup(context -> new VerifierPool(context, settings));
  }

  private VerifierPool(ActorContext<Command> context, RunSettings settings) {
    super(context);
    this.format = settings.taskFormat();
    this.timeout = settings.phaseTimeout();
    this.limits = VerifierWorker.limits(settings.sandboxConfig());
    this.queue = context.spawn(VerifierWorker.queue(lease(settings)), "queue");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Validate.class, this::onValidate)
        .onMessage(Verify.class, this::onVerify)
        .onMessage(Finished.class, this::onFinished)
        .build();
  }

  private Behavior<Command> onValidate(Validate command) {
    TasksProposed proposed = command.proposals();
    String prefix = nextRequest();
    List<VerificationJob> jobs = new ArrayList<>();
    for (int i = 0; i < proposed.getProposalsCount(); i++) {
      ProposedTask proposal = proposed.getProposals(i);
      if (proposal.getWellFormed()) {
        jobs.add(VerificationJob.newBuilder().setJobId(prefix + i).setValidate(ValidateProgram.newBuilder()
            .setProgram(proposal.getProgram()).addAllInputs(proposal.getInputsList())).build());
      }
    }
    submit(jobs, command.replyTo(), results -> {
      TasksValidated.Builder validated = TasksValidated.newBuilder().setStep(proposed.getStep());
      for (int i = 0; i < proposed.getProposalsCount(); i++) {
        ProposedTask proposal = proposed.getProposals(i);
        if (!proposal.getWellFormed()) {
          validated.addValidations(Validation.newBuilder().setValid(false)
              .setReason("malformed: " + proposal.getMalformedReason()));
          continue;
        }
        ValidationOutcome outcome = results.get(prefix + i).getValidation();
        validated.addValidations(outcome.getValid()
            ? Validation.newBuilder().setValid(true).setTaskId(taskId(proposed.getStep(), proposal, i))
                .addAllOutputs(outcome.getOutputsList())
            : Validation.newBuilder().setValid(false).setReason(outcome.getReason()));
      }
      return validated.build();
    });
    return this;
  }

  /** Task ids name their step, type and proposal index: "s12-D3". */
  static String taskId(long step, ProposedTask proposal, int index) {
    return "s" + step + "-" + Generations.fromProto(proposal.getType()).code() + index;
  }

  private Behavior<Command> onVerify(Verify command) {
    Map<String, Task> tasks = command.tasks().stream().collect(Collectors.toMap(Task::id, Function.identity()));
    String prefix = nextRequest();
    List<VerificationJob> jobs = new ArrayList<>();
    List<RolloutGroup> groups = command.rollouts().getGroupsList();
    for (int g = 0; g < groups.size(); g++) {
      Task task = tasks.get(groups.get(g).getTaskId());
      if (task == null) {
        command.replyTo().tell(StatusReply.error("verifier: rollouts for unknown task " + groups.get(g).getTaskId()));
        return this;
      }
      for (int r = 0; r < groups.get(g).getRolloutsCount(); r++) {
        Generation rollout = groups.get(g).getRollouts(r);
        Parsed<String> answer = rollout.getFinished() ? format.parseSolverAnswer(task.type(), rollout.getText()) : null;
        if (answer != null && answer.isOk()) {
          jobs.add(check(prefix + g + "/" + r, task, answer.value()));
        }
      }
    }
    submit(jobs, command.replyTo(), results -> {
      RolloutsVerified.Builder verified = RolloutsVerified.newBuilder().setStep(command.rollouts().getStep());
      for (int g = 0; g < groups.size(); g++) {
        GroupOutcomes.Builder outcomes = GroupOutcomes.newBuilder().setTaskId(groups.get(g).getTaskId());
        for (int r = 0; r < groups.get(g).getRolloutsCount(); r++) {
          VerificationResult result = results.get(prefix + g + "/" + r);
          outcomes.addOutcomes(result == null ? Outcome.MALFORMED : outcome(result.getVerdict()));
        }
        verified.addGroups(outcomes);
      }
      return verified.build();
    });
    return this;
  }

  private static VerificationJob check(String jobId, Task task, String answer) {
    VerificationJob.Builder job = VerificationJob.newBuilder().setJobId(jobId);
    return switch (task.type()) {
      case DEDUCTION -> job.setDeduction(CheckDeduction.newBuilder()
          .setProgram(task.program()).setInput(task.input()).setAnswer(answer)).build();
      case ABDUCTION -> job.setAbduction(CheckAbduction.newBuilder()
          .setProgram(task.program()).setAnswer(answer).setGoldOutput(task.output())).build();
      case INDUCTION -> job.setInduction(CheckInduction.newBuilder()
          .setAnswer(answer).addAllInputs(task.inputs()).addAllOutputs(task.outputs())).build();
    };
  }

  private static Outcome outcome(Verdict verdict) {
    return switch (verdict) {
      case CORRECT -> Outcome.CORRECT;
      case WRONG -> Outcome.WRONG;
      case MALFORMED -> Outcome.MALFORMED;
      case VERDICT_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalStateException("a verification result without a"
          + " verdict: is a verifier node of another build?");
    };
  }

  /** Job ids are unique within this actor's queue: a request number, then the item. */
  private String nextRequest() {
    return "r" + (++requests) + "/";
  }

  /**
   * Runs the jobs on the queue; {@code toEvent} builds the reply from their results by job id.
   * A job that failed fails the reply.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <R> void submit(List<VerificationJob> jobs, ActorRef<StatusReply<R>> replyTo,
      Function<Map<String, VerificationResult>, R> toEvent) {
    Class<List<VerificationResult>> results = (Class) List.class;
    List<VerificationJob> limited = jobs.stream().map(job -> job.toBuilder().setLimits(limits).build()).toList();
    getContext().ask(results, queue, timeout, reply -> new WorkQueue.Submit<>(limited, reply),
        (list, failure) -> {
          if (failure != null) {
            queue.tell(new WorkQueue.Cancel(limited.stream().map(VerificationJob::getJobId).toList()));
            return new Finished(null, failure, (ActorRef) replyTo);
          }
          Map<String, VerificationResult> byId = new java.util.HashMap<>();
          for (VerificationResult result : list) {
            if (result.hasFailure()) {
              return new Finished(null, new IllegalStateException("job " + result.getJobId() + ": "
                  + result.getFailure()), (ActorRef) replyTo);
            }
            byId.put(result.getJobId(), result);
          }
          return new Finished(() -> toEvent.apply(byId), null, (ActorRef) replyTo);
        });
  }

  private Behavior<Command> onFinished(Finished finished) {
    if (finished.failure() != null) {
      finished.replyTo().tell(StatusReply.error("verifier: " + finished.failure().getMessage()));
      return this;
    }
    Object event;
    try {
      event = finished.result().get();
    } catch (RuntimeException e) { // a result that does not fit its job
      finished.replyTo().tell(StatusReply.error("verifier: " + e.getMessage()));
      return this;
    }
    finished.replyTo().tell(StatusReply.success(event));
    return this;
  }
}
