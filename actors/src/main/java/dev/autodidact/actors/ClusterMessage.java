package dev.autodidact.actors;

/**
 * Marks a message that may cross from one node to another. Each is bound to
 * {@link ClusterProtocolSerializer} (protobuf on the wire, see {@code cluster.proto});
 * Java serialization is off, so an unmarked message sent to another node fails loudly.
 */
public interface ClusterMessage {}
