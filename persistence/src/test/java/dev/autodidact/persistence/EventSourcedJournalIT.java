package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.serialization.SerializationExtension;
import akka.stream.javadsl.Sink;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autodidact.persistence.testproto.CounterEvents;
import dev.autodidact.persistence.testproto.CounterEvents.CounterIncremented;
import dev.autodidact.persistence.testproto.CounterEvents.CounterReset;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSourcedJournalIT {

  private static final String COUNTER_ID = "counter-1";
  /** The first write opens the pool and recovers the entity: generous on a shared, noisy machine. */
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path temp;
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() throws IOException, SQLException {
    server = EmbeddedPostgresServer.start(temp.resolve("postgres"));
    JournalSchema.ensure(server.jdbcUrl(), server.user(), server.password());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Config config() {
    return ConfigFactory.parseString(
            ProtobufRegistry.CONFIG_KEY + " = [\"" + CounterEvents.class.getName() + "\"]\n"
                + "akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]\n"
                + "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"\n")
        .withFallback(JournalSettings.postgres(server))
        .withFallback(ConfigFactory.load());
  }

  @Test
  void eventsPersistedThroughTheJdbcJournalRecoverTheStateInANewActorSystem() throws Exception {
    ActorTestKit first = ActorTestKit.create("first", config());
    try {
      assertThat(SerializationExtension.get(first.system().classicSystem())
              .findSerializerFor(CounterIncremented.getDefaultInstance()))
          .isInstanceOf(ProtobufSerializer.class);
      TestProbe<Long> replies = first.createTestProbe(Long.class);
      ActorRef<Counter.Command> counter = first.spawn(Counter.create(COUNTER_ID));
      counter.tell(new Counter.Increment(5, replies.getRef()));
      counter.tell(new Counter.Increment(7, replies.getRef()));
      counter.tell(new Counter.Reset("new epoch", replies.getRef()));
      counter.tell(new Counter.Increment(3, replies.getRef()));
      assertThat(replies.receiveSeveralMessages(4, REPLY_TIMEOUT)).containsExactly(5L, 12L, 0L, 3L);
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("second", config());
    try {
      TestProbe<Long> replies = second.createTestProbe(Long.class);
      second.spawn(Counter.create(COUNTER_ID)).tell(new Counter.GetValue(replies.getRef()));
      replies.expectMessage(REPLY_TIMEOUT, 3L);

      List<Object> events = PersistenceQuery.get(second.system().classicSystem())
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier())
          .currentEventsByPersistenceId(COUNTER_ID, 0, Long.MAX_VALUE)
          .map(EventEnvelope::event)
          .runWith(Sink.seq(), second.system())
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertThat(events).containsExactly(
          CounterIncremented.newBuilder().setAmount(5).build(),
          CounterIncremented.newBuilder().setAmount(7).build(),
          CounterReset.newBuilder().setReason("new epoch").build(),
          CounterIncremented.newBuilder().setAmount(3).build());
    } finally {
      second.shutdownTestKit();
    }

    assertThat(JournalStats.countEventsByType(server.jdbcUrl(), server.user(), server.password(), COUNTER_ID))
        .isEqualTo(Map.of("CounterIncremented", 3L, "CounterReset", 1L));
    assertThat(JournalStats.persistenceIds(server.jdbcUrl(), server.user(), server.password()))
        .containsExactly(COUNTER_ID);
    assertThat(storedSerializersAndManifests())
        .containsExactly(
            ProtobufSerializer.IDENTIFIER + " autodidact.test.v1.CounterIncremented",
            ProtobufSerializer.IDENTIFIER + " autodidact.test.v1.CounterIncremented",
            ProtobufSerializer.IDENTIFIER + " autodidact.test.v1.CounterReset",
            ProtobufSerializer.IDENTIFIER + " autodidact.test.v1.CounterIncremented");
  }

  private static List<String> storedSerializersAndManifests() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
            "SELECT event_ser_id, event_ser_manifest FROM event_journal ORDER BY sequence_number")) {
      while (result.next()) {
        rows.add(result.getInt(1) + " " + result.getString(2));
      }
    }
    return rows;
  }
}
