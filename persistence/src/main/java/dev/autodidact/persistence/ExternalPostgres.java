package dev.autodidact.persistence;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A PostgreSQL server this process does not own, named by a JDBC URL. Credentials come from
 * the URL's {@code user} and {@code password} parameters (or the driver's usual sources, such
 * as a {@code .pgpass} file, when absent).
 */
public final class ExternalPostgres implements JournalDatabase {
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private ExternalPostgres(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * Connects once to check the server is there.
   *
   * @throws IllegalArgumentException with a one-line message if the URL is not a PostgreSQL
   *     JDBC URL or the server cannot be reached
   */
  public static ExternalPostgres connect(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(
          "the journal URL must look like jdbc:postgresql://HOST:PORT/DATABASE?user=U&password=P, not " + jdbcUrl);
    }
    ExternalPostgres database = new ExternalPostgres(jdbcUrl, parameter(jdbcUrl, "user"), parameter(jdbcUrl, "password"));
    try (Connection connection = DriverManager.getConnection(jdbcUrl, database.user, database.password)) {
      if (!connection.isValid(10)) {
        throw new SQLException("the server accepted the connection but did not answer within 10 s");
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException("cannot reach the journal database " + database.describe() + ": "
          + e.getMessage().lines().findFirst().orElse("") + "; start it, or fix --journal-url");
    }
    return database;
  }

  @Override
  public String jdbcUrl() {
    return jdbcUrl;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String password() {
    return password;
  }

  /** The URL without its query, so a password never reaches a log or a message. */
  @Override
  public String describe() {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  @Override
  public void close() {
    // Not ours to stop.
  }

  /** A query parameter of the URL, decoded, or "" when absent. */
  static String parameter(String url, String name) {
    int query = url.indexOf('?');
    if (query < 0) {
      return "";
    }
    for (String pair : url.substring(query + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }
}
