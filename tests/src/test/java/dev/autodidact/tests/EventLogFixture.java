package dev.autodidact.tests;

import com.google.protobuf.Message;
import dev.autodidact.cli.RunDirectory;
import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.JournalReader;
import dev.autodidact.persistence.ProtobufRegistry;
import dev.autodidact.persistence.proto.Events;
import dev.autodidact.persistence.proto.PolicyUpdated;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's event log as a file, for fixtures that must outlive schema changes: per event, the
 * manifest (its full protobuf name) and the payload exactly as the journal stored them.
 * Layout: repeated {@code [u16 manifest length][manifest UTF-8][u32 payload length][payload]}.
 *
 * <p>Usage (writes the first {@code steps} steps of a run, then the events of no later step):
 * {@code EventLogFixture <run dir> <steps> <out file>}. A fixture is never regenerated: a new
 * schema version adds a new file next to the old ones.
 */
public final class EventLogFixture {
  private EventLogFixture() {}

  public static void main(String[] args) throws Exception {
    RunDirectory dir = new RunDirectory(Path.of(args[0]));
    int steps = Integer.parseInt(args[1]);
    List<Message> events = new ArrayList<>();
    int[] updates = {0};
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.journal())) {
      JournalReader.forEachEvent(server.jdbcUrl(), server.user(), server.password(),
          "TrainingRun|" + dir.runId(), ProtobufRegistry.of(Events.class), event -> {
            if (updates[0] < steps) {
              events.add(event);
            }
            if (event instanceof PolicyUpdated) {
              updates[0]++;
            }
          });
    }
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[2])))) {
      for (Message event : events) {
        byte[] manifest = event.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8);
        byte[] payload = event.toByteArray();
        out.writeShort(manifest.length);
        out.write(manifest);
        out.writeInt(payload.length);
        out.write(payload);
      }
    }
  }

  /** The events of a fixture, decoded with this build's schema. */
  static List<Message> read(InputStream file) throws IOException {
    ProtobufRegistry registry = ProtobufRegistry.of(Events.class);
    List<Message> events = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(file)) {
      while (true) {
        int manifestLength;
        try {
          manifestLength = in.readUnsignedShort();
        } catch (EOFException end) {
          return events;
        }
        String manifest = new String(in.readNBytes(manifestLength), StandardCharsets.UTF_8);
        byte[] payload = in.readNBytes(in.readInt());
        events.add(registry.parse(manifest, payload));
      }
    }
  }
}
