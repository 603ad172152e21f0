package dev.autodidact.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Plain-SQL views of akka-persistence-jdbc's {@code event_journal}, for reports and checks. */
public final class JournalStats {

  private JournalStats() {}

  /**
   * Number of (not deleted) events of {@code persistenceId} by type. A type is the event's manifest without its
   * package: {@code autodidact.v1.TasksProposed} counts as {@code TasksProposed}.
   */
  public static Map<String, Long> countEventsByType(
      String jdbcUrl, String user, String password, String persistenceId) throws SQLException {
    String sql = "SELECT event_ser_manifest, count(*) FROM event_journal"
        + " WHERE persistence_id = ? AND NOT deleted GROUP BY event_ser_manifest";
    Map<String, Long> counts = new TreeMap<>();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, persistenceId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.merge(simpleName(rows.getString(1)), rows.getLong(2), Long::sum);
        }
      }
    }
    return counts;
  }

  /** Every persistence id with events in the journal, sorted. */
  public static List<String> persistenceIds(String jdbcUrl, String user, String password) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement query =
            connection.prepareStatement("SELECT DISTINCT persistence_id FROM event_journal ORDER BY persistence_id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  private static String simpleName(String manifest) {
    return manifest.substring(manifest.lastIndexOf('.') + 1);
  }
}
