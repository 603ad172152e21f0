package dev.autodidact.persistence;

import com.google.protobuf.Message;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Reads one entity's events straight from akka-persistence-jdbc's {@code event_journal}, in
 * sequence order, decoded with the same protobuf registry the serializer uses. For replays
 * and reports: no actor system is needed, and nothing is written.
 */
public final class JournalReader {
  /** Rows fetched per round trip: large events (rollouts) stream without loading the log. */
  private static final int FETCH_SIZE = 256;

  private JournalReader() {}

  /**
   * Hands every (not deleted) event of {@code persistenceId} to {@code sink}, in order.
   *
   * @return the number of events read
   * @throws IllegalStateException if an event has a type this build's schema does not know
   */
  public static long forEachEvent(String jdbcUrl, String user, String password, String persistenceId,
      ProtobufRegistry registry, Consumer<Message> sink) throws SQLException {
    String sql = "SELECT sequence_number, event_ser_manifest, event_payload FROM event_journal"
        + " WHERE persistence_id = ? AND NOT deleted ORDER BY sequence_number";
    long count = 0;
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
      // PostgreSQL streams rows with a fetch size only inside a transaction.
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setFetchSize(FETCH_SIZE);
        query.setString(1, persistenceId);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            String manifest = rows.getString(2);
            if (!registry.contains(manifest)) {
              throw new IllegalStateException("event " + rows.getLong(1) + " of " + persistenceId + " has type '"
                  + manifest + "', which this build's schema does not know");
            }
            sink.accept(registry.parse(manifest, rows.getBytes(3)));
            count++;
          }
        }
      } finally {
        connection.rollback();
      }
    }
    return count;
  }
}
