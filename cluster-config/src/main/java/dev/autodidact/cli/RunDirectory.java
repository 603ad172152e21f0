package dev.autodidact.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files of one run, all under its directory:
 * {@code run.conf} (the settings it runs with), {@code metrics.jsonl}, {@code summary.json},
 * {@code journal/} (the embedded PostgreSQL's data), {@code blobs/} (checkpoints by SHA-256)
 * and {@code train.log}.
 */
public record RunDirectory(Path root) {

  public RunDirectory {
    root = root.toAbsolutePath().normalize();
  }

  public Path settings() {
    return root.resolve("run.conf");
  }

  public Path metrics() {
    return root.resolve("metrics.jsonl");
  }

  public Path summary() {
    return root.resolve("summary.json");
  }

  public Path journal() {
    return root.resolve("journal");
  }

  public Path blobs() {
    return root.resolve("blobs");
  }

  /** Present when the journal lives in an external PostgreSQL: its JDBC URL. */
  public Path journalUrl() {
    return root.resolve("journal-url");
  }

  /** Present when the run is a fork: its parent, step and overrides (see {@link Forks.Origin}). */
  public Path forkOrigin() {
    return root.resolve("fork.conf");
  }

  public Path log() {
    return root.resolve("train.log");
  }

  /** The run's id in the journal: its directory's name, which must stay the same on resume. */
  public String runId() {
    return root.getFileName().toString();
  }

  public boolean holdsRun() {
    return Files.exists(settings());
  }

  /** Writes a file so that a reader never sees half of it: a temporary file, then a rename. */
  public static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
