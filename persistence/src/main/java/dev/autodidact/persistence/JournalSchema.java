package dev.autodidact.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Creates the tables akka-persistence-jdbc 5.2.x reads and writes on PostgreSQL ({@code event_journal},
 * {@code event_tag}, {@code snapshot}, {@code durable_state} and their indexes), leaving existing ones alone.
 *
 * <p>The script runs in one transaction under an advisory lock, so several processes may call
 * {@link #ensure} on the same database at once.
 */
public final class JournalSchema {

  static final String SCRIPT = "journal-schema-postgres.sql";

  /** Any constant shared by all callers; it only serialises concurrent {@link #ensure} calls. */
  private static final long SCHEMA_LOCK_KEY = 0x6175746f_64696463L;

  private JournalSchema() {}

  public static void ensure(String jdbcUrl, String user, String password) throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
        for (String ddl : statements()) {
          statement.execute(ddl);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  static List<String> statements() {
    String script;
    try (InputStream in = JournalSchema.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException("Resource " + SCRIPT + " is missing next to " + JournalSchema.class);
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String withoutComments = script.lines()
        .filter(line -> !line.stripLeading().startsWith("--"))
        .collect(Collectors.joining("\n"));
    return Arrays.stream(withoutComments.split(";"))
        .map(String::strip)
        .filter(ddl -> !ddl.isEmpty())
        .toList();
  }
}
