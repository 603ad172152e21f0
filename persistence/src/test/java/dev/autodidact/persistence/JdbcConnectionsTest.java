package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class JdbcConnectionsTest {

  @Test
  void everyConnectionHasBoundedWaits() {
    Properties properties = JdbcConnections.properties("alice", "secret", Duration.ofSeconds(90));
    assertThat(properties.getProperty("user")).isEqualTo("alice");
    assertThat(properties.getProperty("password")).isEqualTo("secret");
    assertThat(properties.getProperty("socketTimeout")).isEqualTo("90");
    assertThat(properties.getProperty("connectTimeout")).isEqualTo("30");
    assertThat(properties.getProperty("loginTimeout")).isEqualTo("30");
    assertThat(properties.getProperty("tcpKeepAlive")).isEqualTo("true");
  }

  @Test
  void credentialsMayComeFromTheUrlInstead() {
    Properties properties = JdbcConnections.properties(null, null, Duration.ofMillis(200));
    assertThat(properties).doesNotContainKeys("user", "password");
    assertThat(properties.getProperty("socketTimeout")).isEqualTo("1");
  }

  @Test
  void aTimeoutMustBePositive() {
    assertThatThrownBy(() -> JdbcConnections.properties(null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A port that accepts connections and never answers (a wedged server, a half-open proxy): taking
   * a run's lock fails with an SQLException instead of waiting for TCP. The URL's own
   * loginTimeout (which overrides the default) keeps the test short; the hang guard is far above it.
   */
  @Test
  void aServerThatNeverAnswersFailsTheCallInsteadOfHangingIt() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      JournalDatabase database = new JournalDatabase() {
        @Override
        public String jdbcUrl() {
          return "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/journal?loginTimeout=2";
        }

        @Override
        public String user() {
          return "nobody";
        }

        @Override
        public String password() {
          return "none";
        }

        @Override
        public String describe() {
          return "a silent port";
        }

        @Override
        public void close() {}
      };
      assertTimeoutPreemptively(Duration.ofMinutes(2), () ->
          assertThatThrownBy(() -> RunLock.tryAcquire(database, "TrainingRun|a", "test"))
              .isInstanceOf(SQLException.class));
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
