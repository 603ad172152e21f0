package dev.autodidact.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the table {@link PostgresBlobStore} keeps its blobs in, leaving an existing one alone.
 *
 * <p>Like {@link JournalSchema}, it runs in one transaction under an advisory lock: every node of a cluster
 * opens the store when it starts, and concurrent {@code CREATE TABLE IF NOT EXISTS} statements can still
 * collide in PostgreSQL's catalog.
 */
final class BlobSchema {

  static final String TABLE = "autodidact_blobs";

  /** Any constant shared by all callers, distinct from {@link JournalSchema}'s; it only serialises creation. */
  private static final long SCHEMA_LOCK_KEY = 0x6175746f_626c6f62L;

  /** {@code size} repeats the length so listings need not read the values. */
  private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
      + "sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'), "
      + "bytes bytea NOT NULL, "
      + "size bigint NOT NULL CHECK (size >= 0), "
      + "created timestamptz NOT NULL DEFAULT now())";

  private BlobSchema() {}

  static void ensure(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
      statement.execute(CREATE_TABLE);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }
}
