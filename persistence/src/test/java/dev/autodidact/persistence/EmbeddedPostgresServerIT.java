package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerIT {

  private static final int ROWS_BEFORE_KILL = 200;

  @TempDir Path temp;

  private Path dataDir() {
    return temp.resolve("postgres");
  }

  @AfterEach
  void noPostgresProcessIsLeftBehind() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!postgresProcessesOn(dataDir()).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    List<ProcessHandle> leftOver = postgresProcessesOn(dataDir());
    leftOver.forEach(ProcessHandle::destroyForcibly);
    assertThat(leftOver).isEmpty();
  }

  @Test
  void aRestartedServerFindsItsData() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir())) {
      execute(server, "CREATE TABLE facts (id INT PRIMARY KEY, fact TEXT)");
      execute(server, "INSERT INTO facts VALUES (1, 'kept across restarts')");
    }

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir())) {
      assertThat(queryString(server, "SELECT fact FROM facts WHERE id = 1")).isEqualTo("kept across restarts");
    }
  }

  @Test
  void writesDurablyOnLoopback() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir())) {
      assertThat(queryString(server, "SHOW fsync")).isEqualTo("on");
      assertThat(queryString(server, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(queryString(server, "SHOW full_page_writes")).isEqualTo("on");
      assertThat(queryString(server, "SHOW listen_addresses")).isEqualTo("localhost");
      assertThat(queryString(server, "SELECT current_database()")).isEqualTo(EmbeddedPostgresServer.DEFAULT_DATABASE);
      assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + server.port() + "/autodidact");
    }
  }

  @Test
  void survivesKillMinusNineOfItsJvm() throws Exception {
    Path writerLog = temp.resolve("writer.log");
    Process writer = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            CommittingWriter.class.getName(), dataDir().toString(), Integer.toString(ROWS_BEFORE_KILL))
        .redirectError(Redirect.appendTo(writerLog.toFile()))
        .start();
    try {
      assertTimeoutPreemptively(Duration.ofMinutes(2), () -> awaitReady(writer, writerLog));
    } finally {
      writer.destroyForcibly();
      writer.waitFor();
    }
    long orphanPid = Long.parseLong(Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0).trim());
    assertThat(ProcessHandle.of(orphanPid)).as("the killed JVM's postmaster outlives it").hasValueSatisfying(
        process -> assertThat(process.isAlive()).isTrue());

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir())) {
      assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).isEmpty();
      long count = queryLong(server, "SELECT count(*) FROM committed_rows");
      assertThat(count).isGreaterThanOrEqualTo(ROWS_BEFORE_KILL);
      assertThat(queryLong(server, "SELECT min(id) FROM committed_rows")).isEqualTo(1);
      assertThat(queryLong(server, "SELECT max(id) FROM committed_rows")).isEqualTo(count);
    }
  }

  @Test
  void removesAStalePidFileWhosePidWasReused() throws Exception {
    EmbeddedPostgresServer.start(dataDir()).close();
    // A live process that is not PostgreSQL: this JVM.
    Files.writeString(dataDir().resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dataDir() + "\n");

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir())) {
      assertThat(queryString(server, "SELECT 'up'")).isEqualTo("up");
    }
  }

  @Test
  void refusesADirectoryThatHoldsSomethingElse() throws IOException {
    Files.createDirectories(dataDir());
    Files.writeString(dataDir().resolve("notes.txt"), "not a database");

    assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("neither empty nor a PostgreSQL data directory");
  }

  @Test
  void refusesADataDirectoryThisJvmAlreadyServes() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir())) {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already served");
      assertThat(queryString(server, "SELECT 'still up'")).isEqualTo("still up");
    }
  }

  private static void awaitReady(Process writer, Path writerLog) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); ; line = out.readLine()) {
      if (line == null) {
        throw new AssertionError("The writer died before it was ready:\n" + Files.readString(writerLog));
      }
      if (line.equals("ready")) {
        return;
      }
    }
  }

  static List<ProcessHandle> postgresProcessesOn(Path dataDir) {
    String path = dataDir.toAbsolutePath().toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(process -> process.info().commandLine().filter(line -> line.contains(path)).isPresent())
        .toList();
  }

  private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String queryString(EmbeddedPostgresServer server, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  private static long queryLong(EmbeddedPostgresServer server, String sql) throws SQLException {
    return Long.parseLong(queryString(server, sql));
  }
}
