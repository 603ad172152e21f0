package dev.autodidact.tests;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor.JavaType;
import com.google.protobuf.Message;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where two runs' event logs first part ways: for a failure message that says which phase of
 * which step differs, and how, instead of only which metric.
 */
final class EventLogDiff {
  private EventLogDiff() {}

  static String firstDifference(EmbeddedPostgresServer server, String runA, String runB) {
    try {
      return firstDifference(events(server, runA), events(server, runB), runA, runB);
    } catch (Exception e) {
      return "\n(could not compare the event logs: " + e + ")";
    }
  }

  /** The first event where two logs differ, and its first differing field. */
  static String firstDifference(List<Message> a, List<Message> b, String runA, String runB) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      Message left = comparable(a.get(i));
      Message right = comparable(b.get(i));
      if (!left.getClass().equals(right.getClass())) {
        return "\nevent " + (i + 1) + " differs in type: " + left.getClass().getSimpleName() + " vs "
            + right.getClass().getSimpleName();
      }
      if (!left.equals(right)) {
        return "\nevent " + (i + 1) + " (" + left.getClass().getSimpleName() + ") differs first at "
            + firstDifferentField(left, right, "") + "\n--- " + runA + "\n" + abbreviate(left.toString()) + "\n--- "
            + runB + "\n" + abbreviate(right.toString());
      }
    }
    return a.size() == b.size() ? "\nthe event logs are equal" : "\nthe logs hold " + a.size() + " and " + b.size()
        + " events, equal as far as both go";
  }

  /**
   * The event without what differs between any two runs: their ids, wall-clock timings, and the
   * log file each JVM writes (part of the rendered configuration a run records).
   */
  private static Message comparable(Message event) {
    Message.Builder builder = event.toBuilder();
    for (var field : event.getDescriptorForType().getFields()) {
      if (field.getName().equals("run_id") || field.getName().endsWith("_seconds")) {
        builder.clearField(field);
      } else if (field.getName().equals("config") && field.getJavaType() == JavaType.STRING) {
        builder.setField(field, LOG_FILE.matcher((String) event.getField(field)).replaceAll("$1"));
      }
    }
    return builder.build();
  }

  /** {@code autodidact.log.file} in a rendered configuration: the system property each JVM sets. */
  private static final Pattern LOG_FILE = Pattern.compile("(\"log\"\\s*:\\s*\\{\\s*)\"file\"\\s*:\\s*\"[^\"]*\"");

  /** The path of the first field (depth first, in field order) where two messages of one type differ. */
  static String firstDifferentField(Message left, Message right, String path) {
    for (FieldDescriptor field : left.getDescriptorForType().getFields()) {
      String name = path + field.getName();
      if (field.isRepeated()) {
        int n = Math.min(left.getRepeatedFieldCount(field), right.getRepeatedFieldCount(field));
        for (int k = 0; k < n; k++) {
          Object x = left.getRepeatedField(field, k);
          Object y = right.getRepeatedField(field, k);
          if (!x.equals(y)) {
            return x instanceof Message mx ? firstDifferentField(mx, (Message) y, name + "[" + k + "].")
                : name + "[" + k + "]: " + x + " vs " + y;
          }
        }
        if (left.getRepeatedFieldCount(field) != right.getRepeatedFieldCount(field)) {
          return name + ": " + left.getRepeatedFieldCount(field) + " vs " + right.getRepeatedFieldCount(field)
              + " entries";
        }
      } else {
        Object x = left.getField(field);
        Object y = right.getField(field);
        if (!x.equals(y)) {
          return x instanceof Message mx ? firstDifferentField(mx, (Message) y, name + ".")
              : name + ": " + abbreviate(String.valueOf(x), 200) + " vs " + abbreviate(String.valueOf(y), 200);
        }
      }
    }
    return path + "(unknown fields)";
  }

  private static List<Message> events(EmbeddedPostgresServer server, String runId) throws Exception {
    List<Message> events = new ArrayList<>();
    JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(), "TrainingRun|" + runId,
        ProtobufRegistry.of(Events.class), events::add);
    return events;
  }

  private static String abbreviate(String text) {
    return abbreviate(text, 6000);
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "\n... (" + text.length() + " chars)";
  }
}
