package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.autodidact.persistence.proto.RunForked;
import dev.autodidact.persistence.proto.RunStarted;
import dev.autodidact.persistence.proto.TasksProposed;
import org.junit.jupiter.api.Test;

/** How a log's events, forks included, rebuild a run's state. */
class RunStateTest {
  private static RunSettings settings(String block) {
    return RunSettings.from(ConfigFactory.parseString("autodidact { " + block + " }")
        .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  private static RunState started() {
    RunState state = new RunState();
    state.apply(RunStarted.newBuilder().setRunId("parent").setSeed(1).setConfig(settings("").rendered())
        .setBaseCheckpoint("base").build());
    return state;
  }

  @Test
  void aForkAtAStepBoundarySwitchesTheSettingsAndTheRunsIdAndKeepsTheState() {
    RunState state = started();
    assertThat(state.forks).isEmpty();

    state.apply(RunForked.newBuilder().setRunId("child").setParentRun("parent").setParentStep(0)
        .setConfig(settings("rewards.w_dp = 0").rendered()).addOverrides("rewards.w_dp=0").build());

    assertThat(state.settings.rewards().wDp()).isZero();
    assertThat(state.forks).extracting(RunForked::getRunId).containsExactly("child");
    assertThat(state.forks).extracting(RunForked::getParentRun).containsExactly("parent");
    assertThat(state.step).isEqualTo(1);
    assertThat(state.checkpoint).isEqualTo("base");
  }

  @Test
  void aForkInTheMiddleOfAStepIsRefused() {
    RunState state = started();
    state.apply(TasksProposed.newBuilder().setStep(1).build());
    assertThatThrownBy(() -> state.apply(RunForked.newBuilder().setRunId("child").setParentStep(1)
        .setConfig(settings("").rendered()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a fork must follow a whole step");
  }
}
