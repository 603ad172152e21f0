package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model.torchscript}: how the path is recorded, and a bad file stopping a run early. */
class TorchScriptSettingTest {
  @TempDir
  Path temp;

  @Test
  void theBuiltInModelIsTheDefault() {
    RunSettings settings = Settings.load(null, List.of(), ConfigFactory.empty());
    assertThat(settings.usesTorchScript()).isFalse();
    assertThat(settings.modelName()).isEqualTo("small");
  }

  @Test
  void aRelativePathIsRecordedAgainstTheWorkingDirectory() {
    RunSettings settings =
        Settings.load(null, List.of("model.torchscript = models/../models/lm.pt"), ConfigFactory.empty());
    String expected = Path.of("models/lm.pt").toAbsolutePath().toString();
    assertThat(settings.usesTorchScript()).isTrue();
    assertThat(settings.torchScriptModel()).isEqualTo(expected);
    assertThat(RunSettings.fromRendered(settings.rendered()).torchScriptModel()).isEqualTo(expected);
  }

  @Test
  void aMissingFileIsAOneLineUserErrorAndLeavesNoRunBehind() throws Exception {
    Path missing = temp.resolve("missing.pt");
    RunSettings settings =
        Settings.load(null, List.of("model.torchscript = \"" + missing + "\""), ConfigFactory.empty());
    RunDirectory dir = new RunDirectory(temp.resolve("run"));
    BaseModels baseModels = new BaseModels(temp.resolve("home"));
    assertThatThrownBy(() -> LocalRun.train(dir, settings, baseModels, false, new LocalRun.Observer() {}))
        .isInstanceOf(UserError.class)
        .hasMessage("autodidact.model.torchscript: TorchScript model " + missing + " does not exist");
    assertThat(Files.exists(dir.root())).isFalse();
  }

  @Test
  void pretrainingRefusesAUsersModel() {
    PretrainCommand command = new PretrainCommand();
    command.sets = List.of("model.torchscript = lm.pt");
    assertThatThrownBy(command::call).isInstanceOf(UserError.class).hasMessageContaining("nothing to pretrain");
  }
}
