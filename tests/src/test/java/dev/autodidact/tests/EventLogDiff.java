package dev.autodidact.tests;

import com.google.protobuf.Message;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import java.util.ArrayList;
import java.util.List;

/**
 * Where two runs' event logs first part ways: for a failure message that says which phase of
 * which step differs, and how, instead of only which metric.
 */
final class EventLogDiff {
  private EventLogDiff() {}

  static String firstDifference(EmbeddedPostgresServer server, String runA, String runB) {
    try {
      List<Message> a = events(server, runA);
      List<Message> b = events(server, runB);
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        Message left = comparable(a.get(i));
        Message right = comparable(b.get(i));
        if (!left.getClass().equals(right.getClass())) {
          return "\nevent " + (i + 1) + " differs in type: " + left.getClass().getSimpleName() + " vs "
              + right.getClass().getSimpleName();
        }
        if (!left.equals(right)) {
          return "\nevent " + (i + 1) + " (" + left.getClass().getSimpleName() + ") differs:\n--- " + runA + "\n"
              + abbreviate(left.toString()) + "\n--- " + runB + "\n" + abbreviate(right.toString());
        }
      }
      return a.size() == b.size() ? "\nthe event logs are equal" : "\nthe logs hold " + a.size() + " and " + b.size()
          + " events, equal as far as both go";
    } catch (Exception e) {
      return "\n(could not compare the event logs: " + e + ")";
    }
  }

  /** The event without what differs between any two runs: their ids and wall-clock timings. */
  private static Message comparable(Message event) {
    Message.Builder builder = event.toBuilder();
    for (var field : event.getDescriptorForType().getFields()) {
      if (field.getName().equals("run_id") || field.getName().endsWith("_seconds")) {
        builder.clearField(field);
      }
    }
    return builder.build();
  }

  private static List<Message> events(EmbeddedPostgresServer server, String runId) throws Exception {
    List<Message> events = new ArrayList<>();
    JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + runId,
        ProtobufRegistry.of(Events.class), events::add);
    return events;
  }

  private static String abbreviate(String text) {
    return text.length() <= 6000 ? text : text.substring(0, 6000) + "\n... (" + text.length() + " chars)";
  }
}
