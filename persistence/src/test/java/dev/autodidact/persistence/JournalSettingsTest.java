package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class JournalSettingsTest {

  private final Config config = JournalSettings.postgres("jdbc:postgresql://localhost:5999/autodidact", "alice", "s3cret")
      .withFallback(ConfigFactory.load());

  @Test
  void selectsTheJdbcPlugins() {
    assertThat(config.getString("akka.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(config.getString("akka.persistence.snapshot-store.plugin")).isEqualTo("jdbc-snapshot-store");
    assertThat(config.getString("akka.persistence.state.plugin")).isEqualTo("jdbc-durable-state-store");
  }

  @Test
  void allPluginsShareOneSmallPostgresPool() {
    for (String plugin : new String[] {"jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal", "jdbc-durable-state-store"}) {
      assertThat(config.getString(plugin + ".use-shared-db")).as(plugin).isEqualTo(JournalSettings.SHARED_DATABASE);
    }
    Config shared = config.getConfig("akka-persistence-jdbc.shared-databases." + JournalSettings.SHARED_DATABASE);
    assertThat(shared.getString("profile")).isEqualTo("slick.jdbc.PostgresProfile$");
    assertThat(shared.getString("db.url")).isEqualTo("jdbc:postgresql://localhost:5999/autodidact");
    assertThat(shared.getString("db.user")).isEqualTo("alice");
    assertThat(shared.getString("db.password")).isEqualTo("s3cret");
    assertThat(shared.getString("db.connectionPool")).isEqualTo("HikariCP");
    assertThat(shared.getInt("db.numThreads")).isEqualTo(JournalSettings.POOL_SIZE);
    assertThat(shared.getInt("db.maxConnections")).isEqualTo(JournalSettings.POOL_SIZE);
  }

  @Test
  void bindsProtobufMessagesToTheProtobufSerializerOverAkkaRemotesBinding() {
    Config bindings = config.getConfig("akka.actor.serialization-bindings");
    assertThat(bindings.getString("\"com.google.protobuf.GeneratedMessage\"")).isEqualTo("autodidact-protobuf");
    assertThat(bindings.getString("\"com.google.protobuf.GeneratedMessageV3\"")).isEqualTo("autodidact-protobuf");
    assertThat(config.getString("akka.actor.serializers.autodidact-protobuf"))
        .isEqualTo(ProtobufSerializer.class.getName());
  }
}
