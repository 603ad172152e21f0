package dev.autodidact.actors;

import com.google.protobuf.Message;
import com.typesafe.config.Config;
import dev.autodidact.persistence.proto.ExternalSolutionsUsed;
import dev.autodidact.persistence.proto.LimitBreakDecided;
import dev.autodidact.persistence.proto.LimitBreakDecision;
import dev.autodidact.persistence.proto.RewardsAssigned;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Rebuilds a run from its event log alone, through the same {@link RunState#apply} the
 * TrainingRun recovers with: no model, no sandbox, no actor system. An {@link Update} hook
 * may replace each step's recorded policy update (retraining), and the metrics then follow
 * the replacement.
 */
public final class Replay {
  private final RunState state = new RunState();
  private final Update update;
  private final Config rescoring;
  private long events;

  /** What the log says the run was. */
  public record Rebuilt(RunSettings settings, List<StepMetrics> metrics, long events, boolean completed,
      List<RunForked> forks) {}

  /** One step's update as the log recorded it, with what the learner was given. */
  public record RecordedUpdate(
      RunSettings settings, String baseCheckpoint, List<PolicySample> batch, PolicyUpdated recorded) {}

  /** Decides each step's policy update; {@link #RECORDED} keeps the log's. */
  @FunctionalInterface
  public interface Update {
    PolicyUpdated of(RecordedUpdate step);
  }

  public static final Update RECORDED = RecordedUpdate::recorded;

  /** A replay that keeps every recorded update. */
  public Replay() {
    this(RECORDED);
  }

  public Replay(Update update) {
    this(update, null);
  }

  private Replay(Update update, Config rescoring) {
    this.update = update;
    this.rescoring = rescoring;
  }

  /**
   * A replay that rescores the recorded rollouts under other reward and limit-breaking
   * settings: each step's limit-breaking decisions and rewards are recomputed (by the same
   * functions the live run uses) from the recorded samples. External solutions are recorded
   * only for tasks the run selected, so a task the new settings select and the run did not
   * gets none; a deselected task's solution is dropped. The policy updates are the recorded
   * ones (rescoring does not retrain).
   *
   * @param overrides keys under {@code rewards} and {@code limit_breaking}, relative to
   *     {@code autodidact}
   */
  public static Replay rescoring(Config overrides) {
    return new Replay(RECORDED, overrides);
  }

  /** Feeds events in journal order; pass it to a journal reader. */
  public Consumer<Message> sink() {
    return event -> {
      Message applied = rescoring == null ? event : rescored(event);
      // Only a replacing hook needs the learner's batch; rebuilding the metrics does not.
      if (update != RECORDED && applied instanceof PolicyUpdated recorded) {
        applied = update.of(new RecordedUpdate(state.settings, state.started.getBaseCheckpoint(),
            state.current.learnerBatch(), recorded));
      }
      state.apply(applied);
      if (rescoring != null && (applied instanceof RunStarted || applied instanceof RunForked)) {
        state.settings = state.settings.withOverrides(rescoring);
      }
      events++;
    };
  }

  /** The event the run would have journaled under the rescoring settings. */
  private Message rescored(Message event) {
    RunSettings settings = state.settings;
    if (event instanceof LimitBreakDecided decided) {
      return LimitBreaker.decide(settings, decided.getStep(), TrainingRun.unsolvedCandidates(state),
          List.copyOf(state.filterBuffer), state.externalUsedTotal, state.validTotal);
    }
    if (event instanceof ExternalSolutionsUsed used) {
      Set<String> selected = state.current.decided().getDecisionsList().stream()
          .filter(LimitBreakDecision::getSelected).map(LimitBreakDecision::getTaskId).collect(Collectors.toSet());
      return used.toBuilder().clearSolutions()
          .addAllSolutions(used.getSolutionsList().stream().filter(s -> selected.contains(s.getTaskId())).toList())
          .build();
    }
    if (event instanceof RewardsAssigned) {
      return state.current.assignRewards(
          settings.rewards(), settings.tasks().rollouts(), settings.advantagesOverTokens());
    }
    return event;
  }

  /**
   * The run as rebuilt so far.
   *
   * @throws IllegalStateException if the log did not start with the run's first event
   */
  public Rebuilt result() {
    if (!state.isStarted()) {
      throw new IllegalStateException("the log holds no RunStarted event");
    }
    return new Rebuilt(state.settings, List.copyOf(state.metrics), events, state.completed, List.copyOf(state.forks));
  }
}
