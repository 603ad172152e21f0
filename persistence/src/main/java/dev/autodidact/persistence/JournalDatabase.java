package dev.autodidact.persistence;

/**
 * A PostgreSQL database that holds journals: the embedded server a run starts in its own
 * directory, or an external server the cluster runs. Closing releases what this process
 * started (an embedded server), never an external database.
 */
public interface JournalDatabase extends AutoCloseable {
  String jdbcUrl();

  String user();

  String password();

  /** Where the data lives, for messages: a directory or the URL without credentials. */
  String describe();

  @Override
  void close();
}
