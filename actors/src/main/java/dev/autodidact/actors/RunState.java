package dev.autodidact.actors;

import com.google.protobuf.Message;
import dev.autodidact.core.reward.Utility;
import dev.autodidact.core.task.Task;
import dev.autodidact.core.task.TaskType;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.LimitBreakDecided;
import dev.autodidact.persistence.proto.LimitBreakDecision;
import dev.autodidact.persistence.proto.PolicyUpdated;
import dev.autodidact.persistence.proto.RewardsAssigned;
import dev.autodidact.persistence.proto.RolloutsSampled;
import dev.autodidact.persistence.proto.RolloutsVerified;
import dev.autodidact.persistence.proto.RunCompleted;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.persistence.proto.TasksProposed;
import dev.autodidact.persistence.proto.TasksValidated;
import dev.autodidact.persistence.proto.Validation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a TrainingRun knows, rebuilt from its events alone. Mutated only by the event
 * handler (Akka allows mutable state there), never by a command handler or a side effect.
 */
final class RunState {

  /** The last phase of the current step that is journaled. */
  enum StepPhase { NONE, PROPOSED, VALIDATED, SAMPLED, VERIFIED, DECIDED, EXTERNAL, REWARDED }

  RunStarted started;
  RunSettings settings;
  long step = 1;
  StepPhase phase = StepPhase.NONE;
  StepRecord current = StepRecord.empty();
  String checkpoint;
  long policyVersion;
  long validTotal;
  long externalUsedTotal;
  boolean completed;
  final Map<TaskType, Deque<Task>> taskBuffer = new EnumMap<>(TaskType.class);
  final List<Utility.Features> filterBuffer = new ArrayList<>();
  final List<StepMetrics> metrics = new ArrayList<>();
  /** The forks this log went through, oldest first; empty for a run that was never forked. */
  final List<RunForked> forks = new ArrayList<>();

  boolean isStarted() {
    return started != null;
  }

  /**
   * Applies one journaled event: the TrainingRun's event handler, and a replay of its log,
   * both rebuild state through this method alone.
   *
   * @throws IllegalArgumentException for a message that is not one of the run's events
   */
  RunState apply(Message event) {
    if (event instanceof RunStarted e) {
      onStarted(e);
    } else if (event instanceof TasksProposed e) {
      advance(current.with(e), StepPhase.PROPOSED);
    } else if (event instanceof TasksValidated e) {
      advance(current.with(e), StepPhase.VALIDATED);
      onValidated(e);
    } else if (event instanceof RolloutsSampled e) {
      advance(current.with(e), StepPhase.SAMPLED);
    } else if (event instanceof RolloutsVerified e) {
      advance(current.with(e), StepPhase.VERIFIED);
    } else if (event instanceof LimitBreakDecided e) {
      advance(current.with(e), StepPhase.DECIDED);
      onDecided(e);
    } else if (event instanceof ExternalSolutionsUsed e) {
      advance(current.with(e), StepPhase.EXTERNAL);
    } else if (event instanceof RewardsAssigned e) {
      advance(current.with(e), StepPhase.REWARDED);
    } else if (event instanceof PolicyUpdated e) {
      onUpdated(e);
    } else if (event instanceof RunCompleted) {
      completed = true;
    } else if (event instanceof RunForked e) {
      onForked(e);
    } else {
      throw new IllegalArgumentException("not an event of a training run: "
          + event.getDescriptorForType().getFullName());
    }
    return this;
  }

  private void advance(StepRecord record, StepPhase after) {
    current = record;
    phase = after;
  }

  void onStarted(RunStarted event) {
    started = event;
    settings = RunSettings.fromRendered(event.getConfig());
    checkpoint = event.getBaseCheckpoint();
    policyVersion = event.getBasePolicyVersion();
    for (Task task : Generations.fromProto(event.getSeedTasksList())) {
      remember(task);
    }
  }

  /** Valid tasks enter the task buffer, where later steps draw their references from. */
  void onValidated(TasksValidated event) {
    for (int i = 0; i < event.getValidationsCount(); i++) {
      Validation validation = event.getValidations(i);
      if (validation.getValid()) {
        validTotal++;
        remember(validTask(i));
      }
    }
  }

  /** From a fork on, the run is the fork, under its own settings; the state carries over. */
  void onForked(RunForked event) {
    if (phase != StepPhase.NONE || completed) {
      throw new IllegalArgumentException("a fork must follow a whole step; this one follows step " + step
          + " after phase " + phase + (completed ? " of a completed run" : ""));
    }
    settings = RunSettings.fromRendered(event.getConfig());
    forks.add(event);
  }

  void onDecided(LimitBreakDecided event) {
    for (LimitBreakDecision decision : event.getDecisionsList()) {
      filterBuffer.add(new Utility.Features(decision.getMu(), decision.getNovelty()));
    }
    int excess = filterBuffer.size() - settings.limitBreaking().bufferSize();
    if (excess > 0) {
      filterBuffer.subList(0, excess).clear();
    }
  }

  void onUpdated(PolicyUpdated event) {
    externalUsedTotal += current.usedExternalSolutions().size();
    checkpoint = event.getCheckpoint();
    policyVersion = event.getPolicyVersion();
    metrics.add(current.metrics(event, settings.rewards(), settings.tasks().rollouts(), validTotal, externalUsedTotal));
    step++;
    phase = StepPhase.NONE;
    current = StepRecord.empty();
  }

  /** The current step's valid tasks, in proposal order. */
  List<Task> validTasks() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < current.validated().getValidationsCount(); i++) {
      if (current.validated().getValidations(i).getValid()) {
        tasks.add(validTask(i));
      }
    }
    return tasks;
  }

  private Task validTask(int proposalIndex) {
    var proposal = current.proposed().getProposals(proposalIndex);
    Validation validation = current.validated().getValidations(proposalIndex);
    return new Task(validation.getTaskId(), Generations.fromProto(proposal.getType()), proposal.getProgram(),
        proposal.getInputsList(), validation.getOutputsList(), proposal.getMessage(),
        proposal.getPredictedSuccesses());
  }

  Map<TaskType, List<Task>> taskBufferSnapshot() {
    Map<TaskType, List<Task>> snapshot = new EnumMap<>(TaskType.class);
    taskBuffer.forEach((type, tasks) -> snapshot.put(type, List.copyOf(tasks)));
    return snapshot;
  }

  private void remember(Task task) {
    Deque<Task> tasks = taskBuffer.computeIfAbsent(task.type(), t -> new ArrayDeque<>());
    tasks.addLast(task);
    while (tasks.size() > settings.tasks().bufferPerType()) {
      tasks.removeFirst();
    }
  }
}
