package dev.autodidact.actors;

import com.google.protobuf.Message;
import dev.autodidact.model.PolicySample;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds a run from its event log alone, through the same {@link RunState#apply} the
 * TrainingRun recovers with: no model, no sandbox, no actor system. An {@link Update} hook
 * may replace each step's recorded policy update (retraining), and the metrics then follow
 * the replacement.
 */
public final class Replay {
  private final RunState state = new RunState();
  private final Update update;
  private long events;

  /** What the log says the run was. */
  public record Rebuilt(RunSettings settings, List<StepMetrics> metrics, long events, boolean completed) {}

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
    this.update = update;
  }

  /** Feeds events in journal order; pass it to a journal reader. */
  public Consumer<Message> sink() {
    return event -> {
      Message applied = event;
      if (event instanceof PolicyUpdated recorded) {
        applied = update.of(new RecordedUpdate(state.settings, state.started.getBaseCheckpoint(),
            state.current.learnerBatch(), recorded));
      }
      state.apply(applied);
      events++;
    };
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
    return new Rebuilt(state.settings, List.copyOf(state.metrics), events, state.completed);
  }
}
