package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSchemaIT {

  private static final String PLUGIN_SCRIPT = "schema/postgres/postgres-create-schema.sql";

  @TempDir static Path temp;
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServerWithBothSchemas() throws IOException, SQLException {
    server = EmbeddedPostgresServer.start(temp.resolve("postgres"));
    server.createDatabaseIfMissing("ours");
    server.createDatabaseIfMissing("plugins");
    JournalSchema.ensure(server.jdbcUrl("ours"), server.user(), server.password());
    runPluginScript(server.jdbcUrl("plugins"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void createsExactlyTheTablesColumnsIndexesAndConstraintsOfThePluginsOwnScript() throws Exception {
    assertThat(catalog("ours")).isEqualTo(catalog("plugins")).anyMatch(row -> row.contains("event_journal_ordering_idx"));
  }

  @Test
  void isIdempotentAndSafeToRunConcurrently() throws Exception {
    server.createDatabaseIfMissing("concurrent");
    String url = server.jdbcUrl("concurrent");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Callable<Void> ensure = () -> {
        JournalSchema.ensure(url, server.user(), server.password());
        return null;
      };
      List<Future<Void>> runs = pool.invokeAll(List.of(ensure, ensure, ensure));
      for (Future<Void> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdown();
    }
    JournalSchema.ensure(url, server.user(), server.password());

    assertThat(catalog("concurrent")).isEqualTo(catalog("plugins"));
  }

  private static void runPluginScript(String url) throws IOException, SQLException {
    String script;
    try (InputStream in = JournalSchemaIT.class.getClassLoader().getResourceAsStream(PLUGIN_SCRIPT)) {
      assertThat(in).as(PLUGIN_SCRIPT + " in the akka-persistence-jdbc jar").isNotNull();
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection connection = DriverManager.getConnection(url, server.user(), server.password());
        Statement statement = connection.createStatement()) {
      for (String ddl : script.split(";")) {
        if (!ddl.isBlank()) {
          statement.execute(ddl);
        }
      }
    }
  }

  /** Columns, indexes and constraints of the public schema, one line each, in a stable order. */
  private static List<String> catalog(String database) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      collect(statement, rows, "SELECT 'column', table_name, column_name, ordinal_position, data_type,"
          + " character_maximum_length, is_nullable, column_default FROM information_schema.columns"
          + " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position");
      collect(statement, rows, "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes"
          + " WHERE schemaname = 'public' ORDER BY tablename, indexname");
      collect(statement, rows, "SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
          + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 2, 3");
    }
    return rows;
  }

  private static void collect(Statement statement, List<String> rows, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int column = 1; column <= columns; column++) {
          row.append(result.getString(column)).append(column < columns ? " | " : "");
        }
        rows.add(row.toString());
      }
    }
  }
}
