package dev.autodidact.actors;

import com.google.protobuf.Message;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The event that set a run's settings, read from its journal: its {@code RunStarted}, or the
 * {@code RunForked} of a fork. The journal is the only place a node that hosts part of a run
 * (its coordinator, its learner) learns how the run was configured.
 */
final class RunOpening {
  private RunOpening() {}

  /** The run's last opening event, or empty when it has not begun. */
  static Optional<Message> read(JournalDatabase journal, String runId) {
    try {
      return JournalReader.lastOfTypes(journal.jdbcUrl(), journal.user(), journal.password(), "TrainingRun|" + runId,
          ProtobufRegistry.of(Events.class),
          List.of(RunStarted.getDescriptor().getFullName(), RunForked.getDescriptor().getFullName()));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read run " + runId + "'s journal: " + e.getMessage(), e);
    }
  }

  /** The settings an opening event records. */
  static RunSettings settings(Message opening) {
    return RunSettings.fromRendered(opening instanceof RunForked forked ? forked.getConfig()
        : ((RunStarted) opening).getConfig());
  }

  /** The settings of a run that has begun. */
  static RunSettings settings(JournalDatabase journal, String runId) {
    return settings(read(journal, runId).orElseThrow(() -> new IllegalStateException(
        "run " + runId + " has not begun: its journal holds no RunStarted")));
  }
}
