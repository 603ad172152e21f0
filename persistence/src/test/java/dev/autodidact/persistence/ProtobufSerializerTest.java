package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.autodidact.persistence.testproto.CounterEvents;
import dev.autodidact.persistence.testproto.CounterEvents.CounterAudit;
import dev.autodidact.persistence.testproto.CounterEvents.CounterIncremented;
import dev.autodidact.persistence.testproto.UnregisteredEvents;
import dev.autodidact.persistence.testproto.UnregisteredEvents.NotRegistered;
import dev.autodidact.persistence.testproto.multi.CheckpointWritten;
import dev.autodidact.persistence.testproto.multi.Checkpoints;
import java.io.NotSerializableException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufSerializerTest {

  private final ProtobufSerializer serializer =
      new ProtobufSerializer(ProtobufRegistry.of(CounterEvents.class, Checkpoints.class));

  @Test
  void roundTripsUnderTheFullProtobufName() throws NotSerializableException {
    CounterIncremented event = CounterIncremented.newBuilder().setAmount(42).build();

    String manifest = serializer.manifest(event);
    byte[] bytes = serializer.toBinary(event);

    assertThat(manifest).isEqualTo("autodidact.test.v1.CounterIncremented");
    assertThat(bytes).isEqualTo(event.toByteArray());
    assertThat(serializer.fromBinary(bytes, manifest)).isEqualTo(event);
  }

  @Test
  void roundTripsNestedTypesMapsAndOneFilePerMessageSchemas() throws NotSerializableException {
    CounterAudit audit = CounterAudit.newBuilder()
        .addEntries(CounterAudit.Entry.newBuilder().setNote("reset by operator"))
        .putTotals("increments", 3)
        .build();
    CheckpointWritten.Part part = CheckpointWritten.Part.newBuilder().setIndex(2).setSha256("ab".repeat(32)).build();
    CheckpointWritten checkpoint = CheckpointWritten.newBuilder().addParts(part).build();

    for (var message : List.of(audit, audit.getEntries(0), checkpoint, part)) {
      String manifest = serializer.manifest(message);
      assertThat(serializer.fromBinary(serializer.toBinary(message), manifest)).isEqualTo(message);
    }
    assertThat(serializer.manifest(part)).isEqualTo("autodidact.test.v1.CheckpointWritten.Part");
  }

  @Test
  void registersEveryMessageOfTheListedFiles() {
    assertThat(ProtobufRegistry.of(CounterEvents.class, Checkpoints.class).fullNames())
        .containsExactly(
            "autodidact.test.v1.CheckpointWritten",
            "autodidact.test.v1.CheckpointWritten.Part",
            "autodidact.test.v1.CounterAudit",
            "autodidact.test.v1.CounterAudit.Entry",
            "autodidact.test.v1.CounterIncremented",
            "autodidact.test.v1.CounterReset");
  }

  @Test
  void anUnknownManifestNamesTheTypeAndTheSchemaVersion() {
    assertThatThrownBy(() -> serializer.fromBinary(new byte[0], "autodidact.test.v2.CounterDoubled"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("autodidact.test.v2.CounterDoubled")
        .hasMessageContaining("schema version");
  }

  @Test
  void refusesToWriteWhatItCouldNotReadBack() {
    NotRegistered message = NotRegistered.newBuilder().setText("lost").build();

    assertThatThrownBy(() -> serializer.manifest(message))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("autodidact.test.v1.NotRegistered")
        .hasMessageContaining(ProtobufRegistry.CONFIG_KEY);
  }

  @Test
  void readsTheRegistryFromConfig() {
    var config = ConfigFactory.empty().withValue(
        ProtobufRegistry.CONFIG_KEY,
        ConfigValueFactory.fromIterable(List.of(CounterEvents.class.getName(), UnregisteredEvents.class.getName())));

    ProtobufRegistry registry = ProtobufRegistry.fromConfig(config, getClass().getClassLoader());

    assertThat(registry.contains("autodidact.test.v1.NotRegistered")).isTrue();
    assertThat(registry.contains("autodidact.test.v1.CheckpointWritten")).isFalse();
  }

  @Test
  void aListedClassThatIsNotAnOuterClassIsAClearError() {
    var config = ConfigFactory.empty().withValue(
        ProtobufRegistry.CONFIG_KEY, ConfigValueFactory.fromIterable(List.of("dev.autodidact.persistence.proto.Nope")));

    assertThatThrownBy(() -> ProtobufRegistry.fromConfig(config, getClass().getClassLoader()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.autodidact.persistence.proto.Nope");
    assertThatThrownBy(() -> ProtobufRegistry.of(CounterIncremented.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a protoc-generated outer class");
  }

  @Test
  void theDefaultRegistryHoldsTheRunEvents() {
    ProtobufRegistry registry = ProtobufRegistry.fromConfig(ConfigFactory.load(), getClass().getClassLoader());

    assertThat(registry.fullNames()).isNotEmpty().allMatch(name -> name.startsWith("autodidact.v1."));
  }
}
