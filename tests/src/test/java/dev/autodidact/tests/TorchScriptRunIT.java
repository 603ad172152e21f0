package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.cli.BaseModels;
import dev.autodidact.cli.LocalRun;
import dev.autodidact.cli.RunDirectory;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.persistence.BlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with a user's TorchScript model instead of the built-in one: real sandbox,
 * actors and PostgreSQL journal; nothing is pretrained. Runs on CPU.
 */
class TorchScriptRunIT {
  /** Written by gpu-workers/scripts/make_torchscript_fixture.py; tests run in their module's directory. */
  static final Path FIXTURE =
      Path.of("..", "gpu-workers", "src", "test", "resources", "torchscript", "char_lm.pt").toAbsolutePath();

  @TempDir
  Path temp;

  @Test
  void aTorchScriptModelRunsEveryPhaseAndItsCheckpointsStayTorchScript() throws Exception {
    RunSettings settings = RunSettings.from(ConfigFactory.parseString("""
        autodidact {
          run { seed = 3, steps = 2 }
          model.torchscript = "%s"
          tasks { batch_per_type = 2, rollouts = 2, seed_tasks_per_type = 2 }
        }""".formatted(FIXTURE)).withFallback(ConfigFactory.defaultReference()).resolve());
    RunDirectory dir = new RunDirectory(temp.resolve("run"));

    List<StepMetrics> metrics =
        LocalRun.train(dir, settings, new BaseModels(temp.resolve("home")), false, Observers.SILENT);

    assertThat(metrics).hasSize(2);
    StepMetrics last = metrics.get(1);
    byte[] checkpoint = new BlobStore(dir.blobs()).get(last.checkpoint());
    assertThat(new String(Arrays.copyOf(checkpoint, 4), StandardCharsets.US_ASCII)).isEqualTo("ADTS");
    try (Policy policy = Policies.restore(checkpoint, settings.threads())) {
      assertThat(policy.version()).isEqualTo(last.policyVersion());
      assertThat(policy.contextLength()).isEqualTo(128);
    }
    assertThat(temp.resolve("home").resolve("base-models")).isEmptyDirectory();
  }
}
