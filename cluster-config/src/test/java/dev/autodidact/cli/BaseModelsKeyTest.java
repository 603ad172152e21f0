package dev.autodidact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.autodidact.actors.RunSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The base model's cache key names exactly what changes its bytes. */
class BaseModelsKeyTest {

  private static RunSettings with(String... sets) {
    return Settings.load(null, List.of(sets), ConfigFactory.empty());
  }

  @Test
  void theRlLearningRateDoesNotChangeTheBaseModelButThePretrainingRateDoes() {
    String defaults = BaseModels.key(with());
    assertThat(BaseModels.key(with("optimizer.learning_rate=1e-3"))).isEqualTo(defaults);
    assertThat(BaseModels.key(with("run.seed=9", "run.steps=3", "rewards.w_dp=0"))).isEqualTo(defaults);
    assertThat(BaseModels.key(with("pretrain.learning_rate=1e-3"))).isNotEqualTo(defaults);
    assertThat(BaseModels.key(with("optimizer.beta2=0.95"))).isNotEqualTo(defaults);
  }

  /** Users' caches stay valid: the default settings keep the key they had before the RL rate was left out. */
  @Test
  void theDefaultKeyIsTheOneCachesAlreadyHold() {
    assertThat(BaseModels.key(with())).isEqualTo("d8bc01a8ab8e1f6d556f8926375fec78");
  }
}
