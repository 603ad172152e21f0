package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxConfigTest {

    @Test
    void defaultsMatchTheDocumentedLimits() {
        SandboxConfig config = SandboxConfig.defaults();

        assertThat(config.python()).isEqualTo(Path.of("/usr/bin/python3"));
        assertThat(config.minWorkers()).isEqualTo(1);
        assertThat(config.maxWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.allowWeakIsolation()).isFalse();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.memoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(config.maxOutputChars()).isEqualTo(4096);
        assertThat(config.maxJobsPerWorker()).isEqualTo(1000);
    }

    @Test
    void withersChangeOneSettingEach() {
        SandboxConfig config = SandboxConfig.defaults()
                .withPython(Path.of("/opt/python"))
                .withWorkers(3)
                .withTimeout(Duration.ofMillis(250))
                .withMemoryBytes(1 << 20)
                .withMaxOutputChars(10)
                .withMaxJobsPerWorker(7)
                .withScratchBytes(1 << 16)
                .withIdleBeforeShrink(Duration.ofSeconds(9))
                .withAllowWeakIsolation(true);

        assertThat(config).isEqualTo(new SandboxConfig(Path.of("/opt/python"), 3, 3, Duration.ofMillis(250), 1 << 20,
                10, 7, 1 << 16, Duration.ofSeconds(9), true));
        assertThat(config.withWorkers(1, 4)).extracting(SandboxConfig::minWorkers, SandboxConfig::maxWorkers)
                .containsExactly(1, 4);
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        SandboxConfig config = SandboxConfig.defaults();

        assertThatThrownBy(() -> config.withWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withWorkers(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withScratchBytes(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMemoryBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMaxOutputChars(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMaxJobsPerWorker(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withPython(null)).isInstanceOf(NullPointerException.class);
    }
}
