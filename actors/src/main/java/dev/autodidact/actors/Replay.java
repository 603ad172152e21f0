package dev.autodidact.actors;

import com.google.protobuf.Message;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds a run from its event log alone, through the same {@link RunState#apply} the
 * TrainingRun recovers with: no model, no sandbox, no actor system.
 */
public final class Replay {
  private final RunState state = new RunState();
  private long events;

  /** What the log says the run was. */
  public record Rebuilt(RunSettings settings, List<StepMetrics> metrics, long events, boolean completed) {}

  /** Feeds events in journal order; pass it to a journal reader. */
  public Consumer<Message> sink() {
    return event -> {
      state.apply(event);
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
