package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link BlobsContract} on a real PostgreSQL, one fresh database per test, and what only a database adds. */
class PostgresBlobStoreIT extends BlobsContract {

  @TempDir static Path temp;
  private static EmbeddedPostgresServer server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private String url;

  @BeforeAll
  static void startServer() throws IOException {
    server = EmbeddedPostgresServer.start(temp.resolve("postgres"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  Blobs emptyStore() throws Exception {
    url = freshDatabase();
    return PostgresBlobStore.open(url, server.user(), server.password());
  }

  /** What a bad disk, a bad restore or a stray UPDATE would do; PostgreSQL itself notices none of it. */
  @Override
  void damage(String sha256, byte[] replacement) throws SQLException {
    try (Connection connection = connect(url);
        PreparedStatement update = connection.prepareStatement("UPDATE autodidact_blobs SET bytes = ? WHERE sha256 = ?")) {
      update.setBytes(1, replacement);
      update.setString(2, sha256);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void keepsEachBlobInOneRowWithItsSize() throws Exception {
    Blobs blobs = PostgresBlobStore.open(url, server.user(), server.password());
    String sha256 = blobs.put(WEIGHTS);
    blobs.put(WEIGHTS);

    assertThat(query("SELECT count(*) FROM autodidact_blobs")).isEqualTo("1");
    assertThat(query("SELECT size FROM autodidact_blobs WHERE sha256 = '" + sha256 + "'"))
        .isEqualTo(Integer.toString(WEIGHTS.length));
    assertThat(query("SELECT created IS NOT NULL AND created <= now() FROM autodidact_blobs")).isEqualTo("t");
  }

  @Test
  void anIntactBlobIsNotWrittenAgain() throws Exception {
    Blobs blobs = PostgresBlobStore.open(url, server.user(), server.password());
    String sha256 = blobs.put(WEIGHTS);
    String rowVersion = query("SELECT xmin FROM autodidact_blobs WHERE sha256 = '" + sha256 + "'");

    blobs.put(WEIGHTS);

    assertThat(query("SELECT xmin FROM autodidact_blobs WHERE sha256 = '" + sha256 + "'")).isEqualTo(rowVersion);
  }

  @Test
  void aBlobPutThroughOneNodeIsReadThroughAnother() throws Exception {
    Blobs learner = PostgresBlobStore.open(url, server.user(), server.password());
    String sha256 = learner.put(WEIGHTS);

    try (JournalDatabase external = ExternalPostgres.connect(url + "?user=" + server.user())) {
      Blobs worker = PostgresBlobStore.open(external);
      assertThat(worker.describe()).isEqualTo("table autodidact_blobs in " + url);
      assertThat(worker.contains(sha256)).isTrue();
      assertThat(worker.get(sha256)).isEqualTo(WEIGHTS);
    }
  }

  @Test
  void aRunsEmbeddedJournalDatabaseHoldsItsBlobsToo() throws Exception {
    Blobs blobs = PostgresBlobStore.open(server);

    assertThat(blobs.describe()).isEqualTo("table autodidact_blobs in " + server.dataDirectory());
    assertThat(blobs.get(blobs.put(WEIGHTS))).isEqualTo(WEIGHTS);
  }

  @Test
  void openingIsIdempotentAndSafeToRunConcurrently() throws Exception {
    String fresh = freshDatabase();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Callable<Blobs> open = () -> PostgresBlobStore.open(fresh, server.user(), server.password());
      List<Future<Blobs>> opened = pool.invokeAll(List.of(open, open, open));
      for (Future<Blobs> blobs : opened) {
        blobs.get().put(WEIGHTS);
      }
    } finally {
      pool.shutdown();
    }
    Blobs again = PostgresBlobStore.open(fresh, server.user(), server.password());

    assertThat(again.get(WEIGHTS_SHA256)).isEqualTo(WEIGHTS);
  }

  @Test
  void blobsPostgresCannotHoldAreRefusedBeforeAnythingIsSent() {
    assertThatCode(() -> PostgresBlobStore.requireStorable(PostgresBlobStore.MAX_BYTES, "t")).doesNotThrowAnyException();
    assertThatThrownBy(() -> PostgresBlobStore.requireStorable(PostgresBlobStore.MAX_BYTES + 1L, "table t in db"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a blob of " + (PostgresBlobStore.MAX_BYTES + 1L) + " bytes is too large for table t in db")
        .hasMessageContaining("at most " + PostgresBlobStore.MAX_BYTES + " bytes");
  }

  @Test
  void describesTheTableAndDatabaseWithoutCredentials() throws Exception {
    Blobs blobs = PostgresBlobStore.open(url + "?user=" + server.user() + "&password=secret", null, null);

    assertThat(blobs.describe()).isEqualTo("table autodidact_blobs in " + url).doesNotContain("secret");
  }

  @Test
  void anUnreachableDatabaseIsReportedInOneLineWithoutItsPassword() {
    assertThatThrownBy(() -> PostgresBlobStore.open("jdbc:postgresql://127.0.0.1:1/x?password=secret", "u", "secret"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot open the blob store in table autodidact_blobs in jdbc:postgresql://127.0.0.1:1/x: ")
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aUrlThatIsNotPostgresIsRefused() {
    assertThatThrownBy(() -> PostgresBlobStore.open("jdbc:mysql://db/x", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql://");
  }

  private static String freshDatabase() throws SQLException {
    String name = "blobs_" + DATABASES.incrementAndGet();
    server.createDatabaseIfMissing(name);
    return server.jdbcUrl(name);
  }

  private String query(String sql) throws SQLException {
    try (Connection connection = connect(url);
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getString(1);
    }
  }

  private static Connection connect(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, server.user(), server.password());
  }
}
