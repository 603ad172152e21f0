package dev.autodidact.persistence;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs in one PostgreSQL table, {@code autodidact_blobs(sha256, bytes, size, created)}, for a cluster whose
 * nodes reach a database but share no file system. The table is created on {@link #open} if it is missing.
 *
 * <p>Storing: a put is one committed statement, so a blob is either absent or complete, and as durable as
 * the server makes commits. The same blob put twice, or by several nodes at once, ends up as one row
 * ({@code INSERT ... ON CONFLICT DO NOTHING}). Before sending anything, put asks the server to hash the copy
 * it already holds: an intact copy is not sent again, a damaged one is replaced, as {@link BlobStore} does.
 * That check uses the server's {@code sha256()} function, so the server must be PostgreSQL 11 or later.
 *
 * <p>Size: a blob is a single {@code bytea} value, and PostgreSQL caps a value, and a protocol message
 * carrying it, at 1 GB. Blobs larger than {@link #MAX_BYTES} (1 GiB less 1 MiB of headroom for the rest of
 * the message) are refused before anything is sent. Checkpoints of hundreds of MB fit, but every read costs
 * the server about twice the blob's size in memory while it sends the value.
 *
 * <p>Memory in this JVM: put streams the caller's array to the socket without copying it; get receives the
 * value in binary into the one array it returns. (In the text format a value arrives hex-encoded, twice its
 * size, to be decoded into a third array, and the server cannot send values over about 512 MB that way: so
 * do not set {@code binaryTransfer=false} in the URL.)
 *
 * <p>Each operation opens its own connection: operations are rare and large, and threads (a learner, several
 * inference workers) then never queue behind one another's transfers.
 */
public final class PostgresBlobStore implements Blobs {

  /** Longest wait on the database's socket during one operation (a 1 GB blob over a slow link fits). */
  static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(10);

  /** The largest blob this store accepts, in bytes. */
  public static final int MAX_BYTES = (1 << 30) - (1 << 20);

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBlobStore.class);
  private static final String TABLE = BlobSchema.TABLE;
  private static final String STATE =
      "SELECT encode(pg_catalog.sha256(bytes), 'hex') = sha256 FROM " + TABLE + " WHERE sha256 = ?";
  /** Takes bytes, size and name, like {@link #REPAIR}. */
  private static final String INSERT =
      "INSERT INTO " + TABLE + " (bytes, size, sha256) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING";
  /** Re-checks the damage in the statement itself, so concurrent repairs write the row once. */
  private static final String REPAIR = "UPDATE " + TABLE + " SET bytes = ?, size = ?, created = now()"
      + " WHERE sha256 = ? AND encode(pg_catalog.sha256(bytes), 'hex') <> sha256";
  private static final String SELECT = "SELECT bytes, size FROM " + TABLE + " WHERE sha256 = ?";
  private static final String EXISTS = "SELECT 1 FROM " + TABLE + " WHERE sha256 = ?";

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String location;

  private PostgresBlobStore(String jdbcUrl, String user, String password, String location) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.location = location;
  }

  /**
   * The blob store in {@code database} (the journal's, typically), creating its table if missing. Closing
   * the database stays the caller's business.
   */
  public static PostgresBlobStore open(JournalDatabase database) throws IOException {
    return open(database.jdbcUrl(), database.user(), database.password(), database.describe());
  }

  /**
   * The blob store in the database at {@code jdbcUrl}, creating its table if missing.
   *
   * @param user may be null, as may {@code password}, when the URL or the driver's usual sources provide them
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
   */
  public static PostgresBlobStore open(String jdbcUrl, String user, String password) throws IOException {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("a blob store URL must look like jdbc:postgresql://HOST:PORT/DATABASE");
    }
    int query = jdbcUrl.indexOf('?');
    return open(jdbcUrl, user, password, query < 0 ? jdbcUrl : jdbcUrl.substring(0, query));
  }

  private static PostgresBlobStore open(String jdbcUrl, String user, String password, String where)
      throws IOException {
    PostgresBlobStore store = new PostgresBlobStore(jdbcUrl, user, password, where);
    try (Connection connection = store.connect()) {
      BlobSchema.ensure(connection);
    } catch (SQLException e) {
      throw store.failure("cannot open the blob store", e);
    }
    return store;
  }

  /** The table and where its database lives (a directory or a URL without its credentials). */
  @Override
  public String describe() {
    return "table " + TABLE + " in " + location;
  }

  /**
   * Stores {@code bytes} unless an intact copy is already there.
   *
   * @throws IOException if the blob is larger than {@link #MAX_BYTES} or the database fails
   */
  @Override
  public String put(byte[] bytes) throws IOException {
    requireStorable(bytes.length, describe());
    String sha256 = Sha256.of(bytes);
    try (Connection connection = connect()) {
      switch (storedCopy(connection, sha256)) {
        case NONE -> write(connection, INSERT, bytes, sha256);
        case DAMAGED -> {
          LOG.warn("Replacing corrupt blob {} in {} with a fresh copy", sha256, describe());
          write(connection, REPAIR, bytes, sha256);
        }
        case INTACT -> {}
      }
    } catch (SQLException e) {
      throw failure("cannot store blob " + sha256 + " (" + bytes.length + " bytes)", e);
    }
    return sha256;
  }

  /**
   * Reads the blob named {@code sha256} and checks that its bytes still hash to that name.
   *
   * @throws NoSuchFileException if there is no such blob
   * @throws CorruptBlobException if the row's bytes have been damaged
   */
  @Override
  public byte[] get(String sha256) throws IOException {
    Sha256.requireName(sha256);
    byte[] bytes;
    long recordedSize;
    try (Connection connection = connect();
        PreparedStatement select = connection.prepareStatement(SELECT)) {
      // A negative threshold makes the driver ask for results in binary (see the class comment).
      select.unwrap(PGStatement.class).setPrepareThreshold(-1);
      select.setString(1, sha256);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new NoSuchFileException(sha256, null, "no blob " + sha256 + " in " + describe());
        }
        bytes = row.getBytes(1);
        recordedSize = row.getLong(2);
      }
    } catch (SQLException e) {
      throw failure("cannot read blob " + sha256, e);
    }
    String actual = Sha256.of(bytes);
    if (!actual.equals(sha256)) {
      throw new CorruptBlobException(
          sha256,
          "Blob " + sha256 + " is corrupt: its row in " + describe() + " (" + bytes.length + " bytes, "
              + recordedSize + " when stored) hashes to " + actual
              + "; put the blob again from a good copy or recompute it");
    }
    return bytes;
  }

  /** Whether a row of that name exists (without reading or verifying its bytes). */
  @Override
  public boolean contains(String sha256) throws IOException {
    Sha256.requireName(sha256);
    try (Connection connection = connect();
        PreparedStatement exists = connection.prepareStatement(EXISTS)) {
      exists.setString(1, sha256);
      try (ResultSet row = exists.executeQuery()) {
        return row.next();
      }
    } catch (SQLException e) {
      throw failure("cannot look up blob " + sha256, e);
    }
  }

  /** Refuses a blob PostgreSQL could not hold, before hashing or sending it. */
  static void requireStorable(long length, String where) throws IOException {
    if (length > MAX_BYTES) {
      throw new IOException("a blob of " + length + " bytes is too large for " + where + ": PostgreSQL holds at most "
          + MAX_BYTES + " bytes (1 GiB less protocol headroom) in one value; keep such blobs in a file-system"
          + " BlobStore");
    }
  }

  private enum StoredCopy { NONE, INTACT, DAMAGED }

  /** Whether a copy is stored and still hashes to its name, as the server computes it. */
  private static StoredCopy storedCopy(Connection connection, String sha256) throws SQLException {
    try (PreparedStatement state = connection.prepareStatement(STATE)) {
      state.setString(1, sha256);
      try (ResultSet row = state.executeQuery()) {
        if (!row.next()) {
          return StoredCopy.NONE;
        }
        return row.getBoolean(1) ? StoredCopy.INTACT : StoredCopy.DAMAGED;
      }
    }
  }

  /** Runs {@link #INSERT} or {@link #REPAIR}, streaming {@code bytes} from the caller's array. */
  private static void write(Connection connection, String sql, byte[] bytes, String sha256) throws SQLException {
    try (PreparedStatement write = connection.prepareStatement(sql)) {
      // setBytes would copy the array first; a stream of known length is sent as it is read.
      write.setBinaryStream(1, new ByteArrayInputStream(bytes), bytes.length);
      write.setLong(2, bytes.length);
      write.setString(3, sha256);
      write.executeUpdate();
    }
  }

  private Connection connect() throws SQLException {
    // A database host that vanishes mid-transfer fails the call within minutes instead of
    // blocking a learner or a rollout node until TCP gives up (hours).
    return JdbcConnections.open(jdbcUrl, user, password, SOCKET_TIMEOUT);
  }

  /** A one-line message naming the store but never its credentials. */
  private IOException failure(String what, SQLException e) {
    String reason =
        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    return new IOException(what + " in " + describe() + ": " + reason, e);
  }
}
