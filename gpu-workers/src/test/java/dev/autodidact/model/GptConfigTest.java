package dev.autodidact.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GptConfigTest {
  @Test
  void presetsHaveTheDocumentedSizes() {
    assertThat(GptConfig.tiny().parameterCount()).isBetween(30_000L, 60_000L);
    assertThat(GptConfig.tiny().contextLength()).isEqualTo(256);
    assertThat(GptConfig.small().parameterCount()).isBetween(800_000L, 1_200_000L);
    assertThat(GptConfig.small().contextLength()).isEqualTo(512);
    assertThat(GptConfig.medium().parameterCount()).isBetween(4_000_000L, 6_000_000L);
  }

  @Test
  void headsMustDivideTheWidth() {
    assertThatThrownBy(() -> new GptConfig(99, 64, 30, 1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple of heads");
  }
}
