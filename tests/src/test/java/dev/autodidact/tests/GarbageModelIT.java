package dev.autodidact.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import dev.autodidact.actors.StepMetrics;
import dev.autodidact.cli.BaseModels;
import dev.autodidact.cli.LocalRun;
import dev.autodidact.cli.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that writes garbage (random weights: no pretraining step) goes through the whole
 * loop without an error: every proposal is malformed and gets the format penalty, no task is
 * valid, and every step is journaled and reported.
 */
class GarbageModelIT {
  static final int STEPS = 2;

  @TempDir
  Path temp;

  @Test
  void randomWeightsRunEveryStepAndEveryProposalGetsTheFormatPenalty() throws Exception {
    RunSettings settings = RunSettings.from(ConfigFactory.parseString("""
        autodidact {
          run { seed = 9, steps = %d }
          model.preset = tiny
          tasks { batch_per_type = 2, rollouts = 2, seed_tasks_per_type = 1 }
          pretrain { corpus_programs = 10, steps = 0 }
        }""".formatted(STEPS)).withFallback(ConfigFactory.defaultReference()).resolve());
    List<StepMetrics> metrics = LocalRun.train(new RunDirectory(temp.resolve("run")), settings,
        new BaseModels(temp.resolve("home")), false, Observers.SILENT);

    assertThat(metrics).hasSize(STEPS);
    for (StepMetrics step : metrics) {
      assertThat(step.malformedProposals()).as("step %d", step.step()).isEqualTo(6);
      assertThat(step.validTasks()).isZero();
      assertThat(step.rewardGenerator()).isEqualTo(settings.rewards().invalidProposal());
      assertThat(step.rewardSolver()).isNull();
      assertThat(Double.isFinite(step.loss())).isTrue();
    }
  }
}
