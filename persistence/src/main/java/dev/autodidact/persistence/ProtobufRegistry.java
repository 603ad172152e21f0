package dev.autodidact.persistence;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.typesafe.config.Config;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The protobuf message types that can be read back, by full protobuf name ({@code autodidact.v1.TasksProposed}).
 *
 * <p>Registration is explicit and per schema file: a registry is built from the outer classes protoc generates,
 * one per {@code .proto} file (the class with the static {@code getDescriptor()}, named by
 * {@code option java_outer_classname}). Every message declared in such a file, nested ones included, is
 * registered. {@link ProtobufSerializer} builds its registry from the configuration key {@value #CONFIG_KEY},
 * a list of outer class names:
 *
 * <pre>{@code
 * autodidact.serialization.protobuf-registries = ["dev.autodidact.persistence.proto.Events"]
 * }</pre>
 *
 * <p>A schema that imports another does not register the imported file: list each file whose messages are
 * written.
 */
public final class ProtobufRegistry {

  public static final String CONFIG_KEY = "autodidact.serialization.protobuf-registries";

  private final Map<String, Message> prototypes;

  private ProtobufRegistry(Map<String, Message> prototypes) {
    this.prototypes = Collections.unmodifiableMap(prototypes);
  }

  /** The schemas listed under {@value #CONFIG_KEY}, loaded with {@code classLoader}. */
  public static ProtobufRegistry fromConfig(Config config, ClassLoader classLoader) {
    List<Class<?>> outerClasses = config.getStringList(CONFIG_KEY).stream()
        .<Class<?>>map(name -> loadOuterClass(name, classLoader))
        .toList();
    return of(outerClasses);
  }

  /** The schemas whose protoc-generated outer classes are given. */
  public static ProtobufRegistry of(Class<?>... outerClasses) {
    return of(Arrays.asList(outerClasses));
  }

  public static ProtobufRegistry of(List<Class<?>> outerClasses) {
    Map<String, Message> prototypes = new HashMap<>();
    for (Class<?> outerClass : outerClasses) {
      FileDescriptor file = fileDescriptorOf(outerClass);
      // Generated message classes are nested in the outer class unless the file asks for one file per message.
      String classPrefix = file.getOptions().getJavaMultipleFiles()
          ? outerClass.getPackageName() + "."
          : outerClass.getName() + "$";
      for (Descriptor type : file.getMessageTypes()) {
        register(type, classPrefix + type.getName(), outerClass, prototypes);
      }
    }
    return new ProtobufRegistry(prototypes);
  }

  public boolean contains(String fullName) {
    return prototypes.containsKey(fullName);
  }

  /** The default instance of the message type {@code fullName}, if registered. */
  public Optional<Message> prototype(String fullName) {
    return Optional.ofNullable(prototypes.get(fullName));
  }

  /** Full names of every registered message type, sorted. */
  public Set<String> fullNames() {
    return Collections.unmodifiableSet(new TreeSet<>(prototypes.keySet()));
  }

  /**
   * Loads and initialises every registered type's classes by parsing each type's default
   * instance, so that a timed read afterwards measures reading rather than class loading.
   */
  public void warmUp() {
    prototypes.forEach((name, prototype) -> parse(name, prototype.toByteArray()));
  }

  /**
   * Parses {@code bytes} as the registered message type {@code fullName}.
   *
   * @throws IllegalArgumentException if the type is not registered or the bytes are not a valid message
   */
  public Message parse(String fullName, byte[] bytes) {
    Message prototype = prototype(fullName)
        .orElseThrow(() -> new IllegalArgumentException("Protobuf type " + fullName + " is not registered"));
    try {
      return prototype.getParserForType().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "Bytes (" + bytes.length + ") are not a valid " + fullName + ": " + e.getMessage(), e);
    }
  }

  private static void register(
      Descriptor type, String className, Class<?> outerClass, Map<String, Message> prototypes) {
    if (type.getOptions().getMapEntry()) {
      return; // map fields' entry types have no generated class
    }
    Message prototype = defaultInstance(className, type, outerClass);
    Message previous = prototypes.putIfAbsent(type.getFullName(), prototype);
    if (previous != null && previous.getClass() != prototype.getClass()) {
      throw new IllegalArgumentException(
          "Protobuf type " + type.getFullName() + " is defined twice: by " + previous.getClass().getName()
              + " and by " + prototype.getClass().getName());
    }
    for (Descriptor nested : type.getNestedTypes()) {
      register(nested, className + "$" + nested.getName(), outerClass, prototypes);
    }
  }

  private static Message defaultInstance(String className, Descriptor type, Class<?> outerClass) {
    try {
      Class<?> messageClass = Class.forName(className, true, outerClass.getClassLoader());
      Message prototype = (Message) messageClass.getMethod("getDefaultInstance").invoke(null);
      if (prototype.getDescriptorForType() != type) {
        throw new IllegalArgumentException(className + " is not the generated class of " + type.getFullName());
      }
      return prototype;
    } catch (ClassNotFoundException | NoSuchMethodException | ClassCastException e) {
      throw new IllegalArgumentException(
          outerClass.getName() + " is not the protoc-generated outer class of " + type.getFile().getName()
              + ": the class of its message " + type.getFullName() + " should be " + className,
          e);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("Cannot get the default instance of " + className, e);
    }
  }

  private static Class<?> loadOuterClass(String name, ClassLoader classLoader) {
    try {
      return Class.forName(name, true, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          CONFIG_KEY + " lists " + name + ", which is not on the classpath", e);
    }
  }

  private static FileDescriptor fileDescriptorOf(Class<?> outerClass) {
    try {
      Object descriptor = outerClass.getMethod("getDescriptor").invoke(null);
      if (descriptor instanceof FileDescriptor file) {
        return file;
      }
    } catch (NoSuchMethodException e) {
      // reported below
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("Cannot read the schema of " + outerClass.getName(), e);
    }
    throw new IllegalArgumentException(
        outerClass.getName() + " is not a protoc-generated outer class (no static FileDescriptor getDescriptor())");
  }
}
