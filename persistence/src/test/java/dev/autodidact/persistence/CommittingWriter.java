package dev.autodidact.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * The victim of {@link EmbeddedPostgresServerIT}'s kill -9 test, run in its own JVM: starts the server on
 * {@code args[0]}, commits rows 1..{@code args[1]} one transaction each, prints {@code ready}, and goes on
 * committing rows until it is killed.
 */
public final class CommittingWriter {

  private CommittingWriter() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int rowsBeforeReady = Integer.parseInt(args[1]);
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir);
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("CREATE TABLE committed_rows (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO committed_rows VALUES (?, ?)")) {
        for (long id = 1; ; id++) {
          insert.setLong(1, id);
          insert.setString(2, "row " + id);
          insert.executeUpdate();
          if (id == rowsBeforeReady) {
            System.out.println("ready");
            System.out.flush();
          }
        }
      }
    }
  }
}
