package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunSettingsTest {
  private static RunSettings settings(String block) {
    return RunSettings.from(ConfigFactory.parseString("autodidact { " + block + " }")
        .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  @Test
  void theInferenceDefaultsBatchSixtyFourRowsOnTheDjlEngine() {
    RunSettings.Inference inference = settings("").inference();
    assertThat(inference.engine()).isEqualTo("djl");
    assertThat(inference.maxBatch()).isEqualTo(64);
    assertThat(inference.maxDelay()).isEqualTo(Duration.ofMillis(2));
    assertThat(inference.sampleThreads()).isEqualTo(2);
    assertThat(inference.scoreThreads()).isEqualTo(2);
  }

  @Test
  void anUnknownEngineIsRefusedInOneLine() {
    assertThatThrownBy(() -> settings("inference.engine = tensorrt"))
        .isInstanceOf(RunSettings.InvalidSettings.class)
        .hasMessage("autodidact.inference.engine must be djl or onnx, not 'tensorrt'");
  }

  @Test
  void theOnnxEngineRefusesAUsersTorchScriptModel() {
    assertThatThrownBy(() -> settings("inference.engine = onnx, model.torchscript = \"model.pt\""))
        .isInstanceOf(RunSettings.InvalidSettings.class)
        .hasMessageContaining("exports the built-in GPT only");
  }

  @Test
  void aNonPositiveBatchIsRefused() {
    assertThatThrownBy(() -> settings("inference.max_batch = 0"))
        .isInstanceOf(RunSettings.InvalidSettings.class)
        .hasMessageContaining("inference.max_batch");
  }
}
