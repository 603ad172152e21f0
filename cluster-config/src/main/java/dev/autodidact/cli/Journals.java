package dev.autodidact.cli;

import dev.autodidact.persistence.EmbeddedPostgresServer;
import dev.autodidact.persistence.ExternalPostgres;
import dev.autodidact.persistence.JournalDatabase;
import dev.autodidact.persistence.JournalSchema;
import dev.autodidact.persistence.JournalStats;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;

/**
 * Where a run's journal lives: the embedded PostgreSQL in {@code DIR/journal} (the default),
 * or an external server given once with {@code --journal-url} and recorded in
 * {@code DIR/journal-url}, so that resuming, replaying and counting events find it again.
 */
final class Journals {
  private Journals() {}

  /** The journal of an existing run (or of a run about to start, once {@link #record}ed). */
  static JournalDatabase open(RunDirectory dir) throws IOException {
    if (Files.exists(dir.journalUrl())) {
      return external(Files.readString(dir.journalUrl()).strip());
    }
    return EmbeddedPostgresServer.start(dir.journal());
  }

  /**
   * Records where a new run's journal lives; an external database must answer and must not
   * already hold a run of the same id (the run directory's name).
   */
  static void record(RunDirectory dir, String journalUrl) throws IOException {
    if (journalUrl == null) {
      return;
    }
    try (JournalDatabase database = external(journalUrl)) {
      JournalSchema.ensure(database.jdbcUrl(), database.user(), database.password());
      if (!JournalStats.countEventsByType(database.jdbcUrl(), database.user(), database.password(),
          "TrainingRun|" + dir.runId()).isEmpty()) {
        throw new UserError("the journal at " + database.describe() + " already holds a run named '" + dir.runId()
            + "'; choose an --out directory with another name");
      }
    } catch (SQLException e) {
      throw new UserError("cannot prepare the journal at " + journalUrl.replaceAll("\\?.*", "") + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    RunDirectory.writeAtomically(dir.journalUrl(), journalUrl + "\n");
  }

  /** Refuses a --journal-url on resume that names another journal than the run's own. */
  static void requireSame(RunDirectory dir, String journalUrl) throws IOException {
    String recorded = Files.exists(dir.journalUrl()) ? Files.readString(dir.journalUrl()).strip() : null;
    if (journalUrl != null && !journalUrl.equals(recorded)) {
      throw new UserError(dir.root() + " keeps its journal " + (recorded == null ? "in " + dir.journal()
          : "at the URL in " + dir.journalUrl()) + "; resume it without --journal-url");
    }
  }

  private static JournalDatabase external(String url) {
    try {
      return ExternalPostgres.connect(url);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
