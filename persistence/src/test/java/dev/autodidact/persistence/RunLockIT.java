package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run has one writer: its lock in a real PostgreSQL goes to one session at a time. */
class RunLockIT {

  @TempDir
  Path temp;

  @Test
  void aSecondWriterIsRefusedAndToldWhoHoldsTheRunUntilTheFirstLetsGo() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(temp.resolve("db"))) {
      RunLock.Attempt first = RunLock.tryAcquire(server, "TrainingRun|a", "autodidact train a (pid 1)");
      assertThat(first.lock()).isPresent();

      RunLock.Attempt second = RunLock.tryAcquire(server, "TrainingRun|a", "autodidact train a (pid 2)");
      assertThat(second.lock()).isEmpty();
      assertThat(second.heldBy()).startsWith("autodidact train a (pid 1)");

      RunLock.Attempt otherRun = RunLock.tryAcquire(server, "TrainingRun|b", "autodidact train b (pid 3)");
      assertThat(otherRun.lock()).as("runs do not share a lock").isPresent();
      otherRun.lock().get().close();

      first.lock().get().close();
      RunLock.Attempt third = RunLock.tryAcquire(server, "TrainingRun|a", "autodidact train a (pid 4)");
      assertThat(third.lock()).as("released with its session").isPresent();
      third.lock().get().close();
    }
  }

  @Test
  void keysDifferByRunAndStayTheSame() {
    assertThat(RunLock.key("TrainingRun|a")).isEqualTo(RunLock.key("TrainingRun|a"))
        .isNotEqualTo(RunLock.key("TrainingRun|b"));
  }
}
