package dev.autodidact.persistence;

import com.google.protobuf.Message;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Reads one entity's events straight from akka-persistence-jdbc's {@code event_journal}, in
 * sequence order, decoded with the same protobuf registry the serializer uses. For replays
 * and reports: no actor system is needed, and nothing is written.
 */
public final class JournalReader {
  /** Rows fetched per round trip and decoded together: large events (rollouts) stream without loading the log. */
  private static final int CHUNK = 256;

  /** Longest wait for the database during one read (a chunk of rows, or the opening query). */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  private JournalReader() {}

  /**
   * What one read cost. {@code readNanos} covers the query, fetching the rows and decoding
   * them; {@code sinkNanos} the caller's sink; neither includes opening the connection. The
   * two never overlap: a chunk is handed to the sink only once it is decoded, and the next is
   * fetched only after the sink returns.
   */
  public record Read(long events, long connectNanos, long readNanos, long sinkNanos) {

    /** Events fetched and decoded per second of reading. */
    public double eventsPerSecond() {
      return events / (readNanos / 1e9);
    }
  }

  /**
   * Hands every (not deleted) event of {@code persistenceId} to {@code sink}, in order.
   *
   * @return the number of events read
   * @throws IllegalStateException if an event has a type this build's schema does not know
   */
  public static long forEachEvent(String jdbcUrl, String user, String password, String persistenceId,
      ProtobufRegistry registry, Consumer<Message> sink) throws SQLException {
    return read(jdbcUrl, user, password, persistenceId, registry, sink).events();
  }

  /**
   * Like {@link #forEachEvent}, and says how long reading took apart from the sink. Each chunk
   * of rows is decoded on all cores, then handed to the sink event by event, in order.
   */
  public static Read read(String jdbcUrl, String user, String password, String persistenceId,
      ProtobufRegistry registry, Consumer<Message> sink) throws SQLException {
    String sql = "SELECT sequence_number, event_ser_manifest, event_payload FROM event_journal"
        + " WHERE persistence_id = ? AND NOT deleted ORDER BY sequence_number";
    long count = 0;
    long sinkNanos = 0;
    long opening = System.nanoTime();
    Properties properties = JdbcConnections.properties(user, password, READ_TIMEOUT);
    // Binary transfer from the first execution: payloads arrive as bytes, not as hex text the
    // driver would decode character by character.
    properties.setProperty("prepareThreshold", "-1");
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
      long querying = System.nanoTime();
      // PostgreSQL streams rows with a fetch size only inside a transaction.
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setFetchSize(CHUNK);
        query.setString(1, persistenceId);
        try (ResultSet rows = query.executeQuery()) {
          List<Long> sequenceNumbers = new ArrayList<>(CHUNK);
          List<String> manifests = new ArrayList<>(CHUNK);
          List<byte[]> payloads = new ArrayList<>(CHUNK);
          boolean more = true;
          while (more) {
            more = rows.next();
            if (more) {
              String manifest = rows.getString(2);
              if (!registry.contains(manifest)) {
                throw new IllegalStateException("event " + rows.getLong(1) + " of " + persistenceId + " has type '"
                    + manifest + "', which this build's schema does not know");
              }
              sequenceNumbers.add(rows.getLong(1));
              manifests.add(manifest);
              payloads.add(rows.getBytes(3));
            }
            if (manifests.size() == CHUNK || (!more && !manifests.isEmpty())) {
              List<Message> events = decode(registry, persistenceId, sequenceNumbers, manifests, payloads);
              long sinking = System.nanoTime();
              events.forEach(sink);
              sinkNanos += System.nanoTime() - sinking;
              count += events.size();
              sequenceNumbers.clear();
              manifests.clear();
              payloads.clear();
            }
          }
        }
      } finally {
        connection.rollback();
      }
      long ended = System.nanoTime();
      return new Read(count, querying - opening, ended - querying - sinkNanos, sinkNanos);
    }
  }

  /**
   * The last (not deleted) event of {@code persistenceId} whose protobuf type is one of
   * {@code fullNames}, or empty when it has none: e.g. the event that set a run's settings
   * ({@code RunStarted}, or a fork's {@code RunForked}), without reading the rest of its log.
   */
  public static Optional<Message> lastOfTypes(String jdbcUrl, String user, String password, String persistenceId,
      ProtobufRegistry registry, List<String> fullNames) throws SQLException {
    String sql = "SELECT sequence_number, event_ser_manifest, event_payload FROM event_journal"
        + " WHERE persistence_id = ? AND NOT deleted AND event_ser_manifest = ANY (?)"
        + " ORDER BY sequence_number DESC LIMIT 1";
    try (Connection connection = JdbcConnections.open(jdbcUrl, user, password, READ_TIMEOUT);
        PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, persistenceId);
      query.setArray(2, connection.createArrayOf("text", fullNames.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        try {
          return Optional.of(registry.parse(rows.getString(2), rows.getBytes(3)));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("event " + rows.getLong(1) + " of " + persistenceId + " cannot be read: "
              + e.getMessage(), e);
        }
      }
    }
  }

  /**
   * Decodes one chunk in parallel; the result keeps the rows' order. A damaged event is
   * reported by its sequence number (the first one, whichever thread met it).
   */
  private static List<Message> decode(ProtobufRegistry registry, String persistenceId, List<Long> sequenceNumbers,
      List<String> manifests, List<byte[]> payloads) {
    Message[] events = new Message[manifests.size()];
    String[] failures = new String[manifests.size()];
    IntStream.range(0, manifests.size()).parallel().forEach(i -> {
      try {
        events[i] = registry.parse(manifests.get(i), payloads.get(i));
      } catch (IllegalArgumentException e) {
        failures[i] = e.getMessage();
      }
    });
    for (int i = 0; i < failures.length; i++) {
      if (failures[i] != null) {
        throw new IllegalStateException("event " + sequenceNumbers.get(i) + " of " + persistenceId
            + " cannot be read: " + failures[i]);
      }
    }
    return List.of(events);
  }
}
