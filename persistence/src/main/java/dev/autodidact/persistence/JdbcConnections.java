package dev.autodidact.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens the project's own JDBC connections to a journal database with bounded waits.
 *
 * <p>Without them PgJDBC waits on a database host that vanished (or a port that accepts and
 * never answers) until TCP gives up, which is hours: a run host opening a run, a client reading
 * a log, or a learner fetching a blob would hang without a word. With them the call fails with
 * an {@link SQLException} the caller reports. A parameter in the JDBC URL overrides these
 * defaults, as PgJDBC gives URL parameters precedence over properties.
 */
public final class JdbcConnections {

  /** Longest wait to open a connection and log in. */
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

  private JdbcConnections() {}

  /**
   * A connection with TCP keepalive, {@link #LOGIN_TIMEOUT} to connect and log in, and at most
   * {@code readTimeout} waiting for the server during any one call.
   */
  public static Connection open(String jdbcUrl, String user, String password, Duration readTimeout)
      throws SQLException {
    return DriverManager.getConnection(jdbcUrl, properties(user, password, readTimeout));
  }

  /** The properties {@link #open} passes to the driver (before the URL's own parameters). */
  static Properties properties(String user, String password, Duration readTimeout) {
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
    }
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", Long.toString(LOGIN_TIMEOUT.toSeconds()));
    properties.setProperty("loginTimeout", Long.toString(LOGIN_TIMEOUT.toSeconds()));
    properties.setProperty("socketTimeout", Long.toString(Math.max(1, readTimeout.toSeconds())));
    properties.setProperty("tcpKeepAlive", "true");
    return properties;
  }
}
