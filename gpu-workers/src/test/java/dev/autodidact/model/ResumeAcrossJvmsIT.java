package dev.autodidact.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training is a pure function of the seed and the checkpoint: two 20-step trainings give the
 * same checkpoint bytes, and so do 10 steps, a fresh JVM, and 10 more (the checkpoint carries
 * the AdamW moments and step count, which DJL's own save would lose).
 */
class ResumeAcrossJvmsIT {
  @TempDir
  Path temp;

  @Test
  void twentyStepsGiveTheSameBytesTwiceAndAcrossAFreshJvm() throws Exception {
    Path straight = temp.resolve("straight.ckpt");
    Path again = temp.resolve("again.ckpt");
    Path half = temp.resolve("half.ckpt");
    Path resumed = temp.resolve("resumed.ckpt");
    run("fresh", 1, 20, straight);
    run("fresh", 1, 20, again);
    run("fresh", 1, 10, half);
    run(half.toString(), 11, 20, resumed);

    byte[] bytes = Files.readAllBytes(straight);
    assertThat(Files.readAllBytes(again)).isEqualTo(bytes);
    assertThat(Files.readAllBytes(resumed)).isEqualTo(bytes);
    // The policy did train: 20 applied steps, and the halfway checkpoint differs.
    try (Policy policy = Policies.restore(bytes, 1)) {
      assertThat(policy.version()).isEqualTo(20);
    }
    assertThat(Files.readAllBytes(half)).isNotEqualTo(bytes);
  }

  /** {@link TrainingSteps} in a JVM of its own, with this JVM's class path and DJL settings. */
  private void run(String from, long first, long last, Path out) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"),
        TrainingSteps.class.getName(), from, Long.toString(first), Long.toString(last), out.toString()));
    Path log = temp.resolve(out.getFileName() + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("training JVM did not finish: " + Files.readString(log));
    }
    assertThat(process.exitValue()).as(Files.readString(log)).isZero();
  }
}
