package dev.autodidact.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The one writer of a run: a PostgreSQL session-level advisory lock on the run's persistence
 * id, held in the journal's own database for as long as a JVM trains the run. A second JVM
 * that tries to train the same run (a resumed run started twice, a coordinator restarted while
 * the old one still runs on the other side of a partition) does not get it and is refused, so
 * never two learners write to one run. The lock lives with its connection: it is released when
 * the holder closes it, and when its process dies and PostgreSQL sees the connection drop (at
 * once for a killed process; after the server's TCP keepalive for a vanished host).
 */
public final class RunLock implements AutoCloseable {

  /** Longest wait for the database during one call (taking, querying or releasing the lock). */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Connection connection;

  private RunLock(Connection connection) {
    this.connection = connection;
  }

  /**
   * Takes the lock of {@code persistenceId}, or says who holds it.
   *
   * @param holder how this process names itself to the database (shown to a refused one)
   * @return the lock, or empty with nothing held when another session holds it
   */
  public static Attempt tryAcquire(JournalDatabase database, String persistenceId, String holder)
      throws SQLException {
    // The lock's connection idles for the whole run; the timeout bounds each call on it, and
    // TCP keepalive lets the server see a vanished holder.
    Properties properties = JdbcConnections.properties(database.user(), database.password(), CALL_TIMEOUT);
    properties.setProperty("ApplicationName", holder.length() > 63 ? holder.substring(0, 63) : holder);
    Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties);
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, key(persistenceId));
      try (ResultSet rows = lock.executeQuery()) {
        rows.next();
        if (rows.getBoolean(1)) {
          return new Attempt(Optional.of(new RunLock(connection)), null);
        }
      }
      return new Attempt(Optional.empty(), holderOf(connection, persistenceId));
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The outcome of {@link #tryAcquire}: the lock, or the application name of the session holding it. */
  public record Attempt(Optional<RunLock> lock, String heldBy) {}

  /** The application name and client address of the session that holds the lock, as the server reports them. */
  private static String holderOf(Connection connection, String persistenceId) throws SQLException {
    long key = key(persistenceId);
    String sql = "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?"
        + " AND l.objsubid = 1";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setLong(1, key >>> 32);
      query.setLong(2, key & 0xFFFFFFFFL);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          String address = rows.getString(2);
          return rows.getString(1) + (address == null ? "" : " from " + address);
        }
      }
    } finally {
      connection.close();
    }
    return "another session";
  }

  /** The lock's 64-bit key: the first 8 bytes of the SHA-256 of the persistence id, namespaced. */
  static long key(String persistenceId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(("autodidact-run-lock:" + persistenceId).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether this session still holds the lock: its connection answers. A dropped connection
   * (database restart, idle timeout on the way) has released the lock, and another writer may
   * have taken it.
   */
  public boolean held() {
    try {
      return connection.isValid(10);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Releases the lock (by closing its session). */
  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // The session is gone either way, and the lock with it.
    }
  }
}
