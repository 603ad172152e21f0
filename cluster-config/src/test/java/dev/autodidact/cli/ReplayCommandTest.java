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
  void aModeThatIsNotBuiltIsRefusedInOneLine() {
    int[] exit = new int[1];
    String err = stderrOf(() -> exit[0] = Main.run("replay", "--from", temp.toString(),
        "--out", temp.resolve("x").toString(), "--mode", "fork"));
    assertThat(exit[0]).isEqualTo(2);
    assertThat(err.strip()).isEqualTo("autodidact: replay --mode fork is not built yet; the built modes are: rebuild, rescore, retrain");
    assertThat(temp.resolve("x")).doesNotExist();
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
