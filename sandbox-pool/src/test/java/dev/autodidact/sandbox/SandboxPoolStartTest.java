package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxPoolStartTest {

    @Test
    void aMissingInterpreterFailsWithOneClearLine() {
        SandboxConfig config = SandboxConfig.defaults().withPython(Path.of("/nonexistent/python3"));

        assertThatThrownBy(() -> SandboxPool.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Python interpreter not found or not executable: /nonexistent/python3")
                .hasMessageNotContaining("\n");
    }
}
