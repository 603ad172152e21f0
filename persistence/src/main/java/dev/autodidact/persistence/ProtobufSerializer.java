package dev.autodidact.persistence;

import akka.actor.ExtendedActorSystem;
import akka.serialization.SerializerWithStringManifest;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import java.io.NotSerializableException;

/**
 * Akka serializer for protobuf messages that names each message by its full protobuf name
 * ({@code autodidact.v1.TasksProposed}) rather than by Java class, so renaming or moving a generated class
 * never breaks an old journal. The bytes are the message's own encoding ({@code toByteArray()}).
 *
 * <p>Reading needs the message type to be registered: the serializer reads the list of schemas from
 * {@value ProtobufRegistry#CONFIG_KEY} (see {@link ProtobufRegistry}). Writing a message of an unregistered type
 * is refused too, so that nothing reaches the journal that this build could not read back.
 * {@link JournalSettings#serialization()} binds it to every generated protobuf message.
 */
public final class ProtobufSerializer extends SerializerWithStringManifest {

  /** Stored with every event: never change it. */
  public static final int IDENTIFIER = 7301;

  private final ProtobufRegistry registry;

  /** Called by Akka, with the registry configured under {@value ProtobufRegistry#CONFIG_KEY}. */
  public ProtobufSerializer(ExtendedActorSystem system) {
    this(ProtobufRegistry.fromConfig(system.settings().config(), system.dynamicAccess().classLoader()));
  }

  public ProtobufSerializer(ProtobufRegistry registry) {
    this.registry = registry;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    Descriptor type = asMessage(o).getDescriptorForType();
    if (!registry.contains(type.getFullName())) {
      throw new IllegalArgumentException(
          "Protobuf type " + type.getFullName() + " (" + o.getClass().getName() + ") is not registered: add the outer"
              + " class of " + type.getFile().getName() + " to " + ProtobufRegistry.CONFIG_KEY);
    }
    return type.getFullName();
  }

  @Override
  public byte[] toBinary(Object o) {
    return asMessage(o).toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    if (!registry.contains(manifest)) {
      throw new NotSerializableException(
          "Unknown protobuf type '" + manifest + "' (serializer " + IDENTIFIER + "): this build's schema does not"
              + " define it; the data was probably written by a newer schema version, so read it with that version,"
              + " or register the schema file under " + ProtobufRegistry.CONFIG_KEY);
    }
    return registry.parse(manifest, bytes);
  }

  private static Message asMessage(Object o) {
    if (o instanceof Message message) {
      return message;
    }
    throw new IllegalArgumentException(
        ProtobufSerializer.class.getSimpleName() + " serializes protobuf messages only, not " + o.getClass().getName());
  }
}
