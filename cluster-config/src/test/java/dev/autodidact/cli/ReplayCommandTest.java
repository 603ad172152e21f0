package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command's user errors: one line, exit code 2, nothing written. */
class ReplayCommandTest {
  @TempDir
  Path temp;

  private static String stderrOf(Runnable command) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      command.run();
    } finally {
      System.setErr(original);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnknownModeIsRefusedInOneLine() {
    int[] exit = new int[1];
    String err = stderrOf(() -> exit[0] = Main.run("replay", "--from", temp.toString(),
        "--out", temp.resolve("x").toString(), "--mode", "spoon"));
    assertThat(exit[0]).isEqualTo(2);
    assertThat(err.strip()).isEqualTo("autodidact: replay --mode spoon is unknown; the modes are: rebuild, rescore, retrain, fork");
    assertThat(temp.resolve("x")).doesNotExist();
  }

  @Test
  void aForkNeedsItsStepAndAParentRun() {
    int[] exit = new int[1];
    String err = stderrOf(() -> exit[0] = Main.run("replay", "--from", temp.toString(),
        "--out", temp.resolve("x").toString(), "--mode", "fork"));
    assertThat(exit[0]).isEqualTo(2);
    assertThat(err.strip()).isEqualTo("autodidact: replay --mode fork needs --at-step N (the parent's step to fork after)");
    err = stderrOf(() -> exit[0] = Main.run("replay", "--from", temp.resolve("none").toString(),
        "--out", temp.resolve("x").toString(), "--mode", "fork", "--at-step", "3"));
    assertThat(exit[0]).isEqualTo(2);
    assertThat(err).contains("holds no run").doesNotContain("Exception");
    assertThat(temp.resolve("x")).doesNotExist();
    err = stderrOf(() -> exit[0] = Main.run("replay", "--from", temp.toString(),
        "--out", temp.resolve("x").toString(), "--at-step", "3"));
    assertThat(err.strip()).isEqualTo("autodidact: --at-step is for --mode fork only");
  }

  @Test
  void aDirectoryWithoutARunIsRefusedInOneLine() {
    int[] exit = new int[1];
    String err = stderrOf(() -> exit[0] = Main.run("replay", "--from", temp.resolve("none").toString(),
        "--out", temp.resolve("x").toString()));
    assertThat(exit[0]).isEqualTo(2);
    assertThat(err).contains("holds no run").doesNotContain("Exception");
  }

  @Test
  void sameLinesComparesWholeFiles() throws Exception {
    Path a = Files.writeString(temp.resolve("a"), "{\"step\":1}\n");
    Path b = Files.writeString(temp.resolve("b"), "{\"step\":1}\n");
    Path c = Files.writeString(temp.resolve("c"), "{\"step\":2}\n");
    assertThat(ReplayCommand.sameLines(a, b)).isTrue();
    assertThat(ReplayCommand.sameLines(a, c)).isFalse();
    assertThat(ReplayCommand.sameLines(a, temp.resolve("missing"))).isFalse();
  }
}
