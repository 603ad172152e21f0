package dev.autodidact.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import com.google.protobuf.Message;
import dev.autodidact.actors.RunState.StepPhase;
import dev.autodidact.core.reward.Utility;
import dev.autodidact.core.task.Task;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.LimitBreakDecided;
import dev.autodidact.persistence.proto.LimitBreakDecision;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import dev.autodidact.persistence.proto.RunCompleted;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.persistence.proto.TasksProposed;
import dev.autodidact.persistence.proto.TasksValidated;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One training run, event-sourced. Drives every step through its phases
 * (generate, validate, solve, verify, limit-break, external solutions, rewards, update) and
 * journals each phase's result as one event before the next phase starts. After a crash the
 * run recovers its state from those events and continues with the first phase that has no
 * event yet: no journaled work is redone, none is lost.
 */
public final class TrainingRun extends EventSourcedBehavior<TrainingRun.Command, Message, RunState> {

  public sealed interface Command permits Start, Fork, PhaseDone, PhaseFailed, Retry {}

  /** Begin a new run; ignored (and acknowledged) when the run has already started. */
  public record Start(RunStarted started, ActorRef<StatusReply<String>> replyTo) implements Command {}

  /**
   * Begin a fork: journal the parent's events up to the end of the fork's step, then the fork
   * itself, in one atomic write (a crash leaves either all of them or none), and go on live.
   * Ignored (and acknowledged) when the run has already started.
   */
  public record Fork(List<Message> parentEvents, RunForked forked, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  private record PhaseDone(long step, StepPhase after, Message event) implements Command {}

  private record PhaseFailed(long step, StepPhase after, String reason) implements Command {}

  private record Retry(long step, StepPhase after) implements Command {}

  /** The role actors a run drives. */
  public record Roles(
      ActorRef<Generator.Command> generator,
      ActorRef<Solver.Command> solver,
      ActorRef<VerifierPool.Command> verifier,
      ActorRef<LimitBreaker.Command> limitBreaker,
      ActorRef<ExternalSolver.Command> externalSolver,
      ActorRef<Learner.Command> learner,
      ActorRef<Topic.Command<PolicyUpdated>> policyVersions) {}

  static final int MAX_ATTEMPTS = 3;

  /** What a step does after each journaled phase, as the run's log names it. */
  static final Map<StepPhase, String> NEXT_WORK = Map.of(
      StepPhase.NONE, "proposing tasks",
      StepPhase.PROPOSED, "validating proposals",
      StepPhase.VALIDATED, "sampling rollouts",
      StepPhase.SAMPLED, "verifying rollouts",
      StepPhase.VERIFIED, "deciding limit breaks",
      StepPhase.DECIDED, "solving selected tasks externally",
      StepPhase.EXTERNAL, "assigning rewards",
      StepPhase.REWARDED, "updating the policy");

  private final ActorContext<Command> context;
  private final Roles roles;
  private final ActorRef<RunProgress> listener;
  private int attempts;
  private long stepStartedNanos = System.nanoTime();
  private long journalNanos;

  public static Behavior<Command> create(String runId, Roles roles, ActorRef<RunProgress> listener) {
    return Behaviors.setup(context -> new TrainingRun(context, PersistenceId.of("TrainingRun", runId), roles, listener));
  }

  private TrainingRun(ActorContext<Command> context, PersistenceId id, Roles roles, ActorRef<RunProgress> listener) {
    // A journal that fails (the database went away) stops the run's actor; restart it with
    // back-off, recover from the events that did reach the journal and go on from there.
    super(id, SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 0.2));
    this.context = context;
    this.roles = roles;
    this.listener = listener;
  }

  @Override
  public RunState emptyState() {
    return new RunState();
  }

  @Override
  public CommandHandler<Command, Message, RunState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Fork.class, this::onFork)
        .onCommand(PhaseDone.class, this::onPhaseDone)
        .onCommand(PhaseFailed.class, this::onPhaseFailed)
        .onCommand(Retry.class, this::onRetry)
        .build();
  }

  private Effect<Message, RunState> onStart(RunState state, Start start) {
    if (state.isStarted()) {
      return Effect().none().thenReply(start.replyTo(), s -> StatusReply.success("resumed at step " + s.step));
    }
    return Effect().persist(start.started())
        .thenRun(this::advance)
        .thenReply(start.replyTo(), s -> StatusReply.success("started"));
  }

  private Effect<Message, RunState> onFork(RunState state, Fork fork) {
    if (state.isStarted()) {
      return Effect().none().thenReply(fork.replyTo(), s -> StatusReply.success("resumed at step " + s.step));
    }
    List<Message> events = new ArrayList<>(fork.parentEvents());
    events.add(fork.forked());
    return Effect().persist(events)
        .thenRun(this::advance)
        .thenReply(fork.replyTo(), s -> StatusReply.success("forked at step " + fork.forked().getParentStep()));
  }

  private Effect<Message, RunState> onPhaseDone(RunState state, PhaseDone done) {
    if (done.step() != state.step || done.after() != state.phase || state.completed) {
      return Effect().none(); // a late answer to a phase that is already journaled
    }
    attempts = 0;
    Message event = done.event();
    long persisting = System.nanoTime();
    if (event instanceof PolicyUpdated update) {
      PolicyUpdated timed = update.toBuilder()
          .setWallSeconds((persisting - stepStartedNanos) / 1e9).build();
      // Announced only once journaled: a worker never preloads a version the run may not keep.
      return Effect().persist(timed).thenRun(s -> {
        journalNanos += System.nanoTime() - persisting;
        if (!timed.getSkipped()) {
          roles.policyVersions().tell(Topic.publish(timed));
        }
        listener.tell(new RunProgress.StepJournaled(timed.getStep(), journalNanos / 1e9));
        journalNanos = 0;
        afterPersist(s);
      });
    }
    return Effect().persist(event).thenRun(s -> {
      journalNanos += System.nanoTime() - persisting;
      afterPersist(s);
    });
  }

  private Effect<Message, RunState> onPhaseFailed(RunState state, PhaseFailed failed) {
    if (failed.step() != state.step || failed.after() != state.phase) {
      return Effect().none();
    }
    attempts++;
    if (attempts >= MAX_ATTEMPTS) {
      String reason = "step " + failed.step() + " failed " + attempts + " times after phase " + failed.after()
          + ": " + failed.reason();
      context.getLog().error(reason);
      listener.tell(new RunProgress.RunFailed(reason));
      return Effect().stop();
    }
    Duration backoff = Duration.ofSeconds(1L << attempts);
    context.getLog().warn("step {} after {}: {}; retrying in {} s", failed.step(), failed.after(), failed.reason(),
        backoff.toSeconds());
    context.scheduleOnce(backoff, context.getSelf(), new Retry(failed.step(), failed.after()));
    return Effect().none();
  }

  private Effect<Message, RunState> onRetry(RunState state, Retry retry) {
    if (retry.step() == state.step && retry.after() == state.phase) {
      advance(state);
    }
    return Effect().none();
  }

  @Override
  public EventHandler<RunState, Message> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(RunState::apply);
  }

  @Override
  public SignalHandler<RunState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.isStarted()) {
            context.getLog().info("run recovered at step {} after phase {}", state.step, state.phase);
            advance(state);
          }
        })
        .build();
  }

  private void afterPersist(RunState state) {
    if (state.phase == StepPhase.NONE && !state.metrics.isEmpty() && !state.completed) {
      listener.tell(new RunProgress.StepFinished(List.copyOf(state.metrics)));
    }
    advance(state);
  }

  /** Starts the first phase of the current step that has no event yet. */
  private void advance(RunState state) {
    if (state.completed) {
      listener.tell(new RunProgress.RunFinished(List.copyOf(state.metrics)));
      return;
    }
    long step = state.step;
    Duration timeout = state.settings.phaseTimeout();
    if (step <= state.settings.steps()) {
      context.getLog().info("step {}: {}", step, NEXT_WORK.get(state.phase));
    }
    switch (state.phase) {
      case NONE -> {
        if (step > state.settings.steps()) {
          context.getSelf().tell(new PhaseDone(step, StepPhase.NONE,
              RunCompleted.newBuilder().setSteps(state.metrics.size()).build()));
          return;
        }
        stepStartedNanos = System.nanoTime();
        ask(TasksProposed.class, roles.generator(), step, StepPhase.NONE, timeout,
            replyTo -> new Generator.Propose(step, state.checkpoint, state.taskBufferSnapshot(), replyTo));
      }
      case PROPOSED -> ask(TasksValidated.class, roles.verifier(), step, StepPhase.PROPOSED, timeout,
          replyTo -> new VerifierPool.Validate(state.current.proposed(), replyTo));
      case VALIDATED -> ask(RolloutsSampled.class, roles.solver(), step, StepPhase.VALIDATED, timeout,
          replyTo -> new Solver.Solve(step, state.checkpoint, state.validTasks(), replyTo));
      case SAMPLED -> ask(RolloutsVerified.class, roles.verifier(), step, StepPhase.SAMPLED, timeout,
          replyTo -> new VerifierPool.Verify(state.validTasks(), state.current.sampled(), replyTo));
      case VERIFIED -> ask(LimitBreakDecided.class, roles.limitBreaker(), step, StepPhase.VERIFIED, timeout,
          replyTo -> new LimitBreaker.Decide(step, unsolvedCandidates(state), List.copyOf(state.filterBuffer),
              state.externalUsedTotal, state.validTotal, replyTo));
      case DECIDED -> ask(ExternalSolutionsUsed.class, roles.externalSolver(), step, StepPhase.DECIDED, timeout,
          replyTo -> new ExternalSolver.SolveUnsolved(step, state.checkpoint, selectedTasks(state), replyTo));
      case EXTERNAL -> context.getSelf().tell(new PhaseDone(step, StepPhase.EXTERNAL,
          state.current.assignRewards(state.settings.rewards(), state.settings.tasks().rollouts(),
              state.settings.advantagesOverTokens())));
      case REWARDED -> ask(PolicyUpdated.class, roles.learner(), step, StepPhase.REWARDED, timeout,
          replyTo -> new Learner.Update(step, state.checkpoint, state.current.learnerBatch(), replyTo));
      default -> throw new IllegalStateException("unknown phase " + state.phase);
    }
  }

  private <Req, Res extends Message> void ask(Class<Res> response, ActorRef<Req> target, long step,
      StepPhase after, Duration timeout, akka.japi.function.Function<ActorRef<StatusReply<Res>>, Req> request) {
    context.askWithStatus(response, target, timeout, request, (result, failure) -> result != null
        ? new PhaseDone(step, after, result)
        : new PhaseFailed(step, after, String.valueOf(failure.getMessage())));
  }

  /** Unsolved tasks (no correct rollout) with their predicted success mu and novelty. */
  static List<LimitBreaker.Candidate> unsolvedCandidates(RunState state) {
    Map<String, Integer> correct = state.current.correctCounts();
    Map<String, Integer> proposalOf = state.current.proposalOfTask();
    int k = state.settings.tasks().rollouts();
    List<LimitBreaker.Candidate> candidates = new ArrayList<>();
    for (Task task : state.validTasks()) {
      if (correct.get(task.id()) == 0) {
        var proposal = state.current.proposed().getProposals(proposalOf.get(task.id()));
        double novelty = Utility.novelty(Generations.logProbs(proposal.getGeneration()));
        candidates.add(new LimitBreaker.Candidate(task.id(),
            new Utility.Features((double) task.predictedSuccesses() / k, novelty)));
      }
    }
    return candidates;
  }

  private static List<Task> selectedTasks(RunState state) {
    Set<String> selected = state.current.decided().getDecisionsList().stream()
        .filter(LimitBreakDecision::getSelected).map(LimitBreakDecision::getTaskId).collect(Collectors.toSet());
    return state.validTasks().stream().filter(task -> selected.contains(task.id())).toList();
  }
}
