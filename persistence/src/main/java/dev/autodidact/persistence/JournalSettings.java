package dev.autodidact.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;

/**
 * Akka configuration for an event-sourced system on PostgreSQL. Apply it on top of the application's own
 * configuration, for example {@code JournalSettings.postgres(url, user, password).withFallback(ConfigFactory.load())}.
 *
 * <p>It selects akka-persistence-jdbc for the journal, the snapshot store, the read journal and durable
 * state, all sharing one HikariCP pool of {@value #POOL_SIZE} connections, and binds every protobuf message to
 * {@link ProtobufSerializer}. The schemas the serializer reads back are listed by the application under
 * {@value ProtobufRegistry#CONFIG_KEY} (see {@link ProtobufRegistry}).
 */
public final class JournalSettings {

  /** Name of the shared database under {@code akka-persistence-jdbc.shared-databases}. */
  public static final String SHARED_DATABASE = "autodidact";

  /** Connections (and Slick threads) for all plugins together: the machine has two cores. */
  public static final int POOL_SIZE = 2;

  private static final String DB_PATH = "akka-persistence-jdbc.shared-databases." + SHARED_DATABASE + ".db";

  private JournalSettings() {}

  /** Journal, snapshots, query and durable state on the PostgreSQL database at {@code jdbcUrl}, plus {@link #serialization()}. */
  public static Config postgres(String jdbcUrl, String user, String password) {
    return resource("persistence-postgres.conf")
        .withValue(DB_PATH + ".url", ConfigValueFactory.fromAnyRef(jdbcUrl))
        .withValue(DB_PATH + ".user", ConfigValueFactory.fromAnyRef(user))
        .withValue(DB_PATH + ".password", ConfigValueFactory.fromAnyRef(password))
        .withFallback(serialization())
        .resolve();
  }

  /** The same journal, on a journal database (embedded or external). */
  public static Config postgres(JournalDatabase server) {
    return postgres(server.jdbcUrl(), server.user(), server.password());
  }

  /**
   * Akka's in-memory journal, plus {@link #serialization()}: nothing survives the JVM. For the
   * journal benchmark's baseline only (the same steps with and without PostgreSQL).
   */
  public static Config inMemory() {
    return ConfigFactory.parseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.journal.inmem.test-serialization = off
        akka.persistence.snapshot-store.plugin = ""
        """).withFallback(serialization()).resolve();
  }

  /**
   * Only the protobuf serialization: for nodes that exchange protobuf messages without writing a journal.
   * Application-level, so that it overrides akka-remote's bindings for the same classes in its reference.conf.
   */
  public static Config serialization() {
    return resource("protobuf-serialization.conf").resolve();
  }

  private static Config resource(String name) {
    return ConfigFactory.parseResources(
        JournalSettings.class, name, ConfigParseOptions.defaults().setAllowMissing(false));
  }
}
