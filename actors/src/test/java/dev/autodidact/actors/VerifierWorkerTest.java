package dev.autodidact.actors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.sandbox.SandboxConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VerifierWorkerTest {

  @Test
  void aJobsLimitsNameTheSandboxInterpretersVersion() {
    SandboxConfig sandbox = SandboxConfig.defaults();
    assertThat(VerifierWorker.limits(sandbox).getPythonVersion()).matches("3\\.[0-9]+\\.[0-9]+.*");
    assertThat(VerifierWorker.limits(sandbox).getTimeoutMillis()).isEqualTo(sandbox.timeout().toMillis());
  }

  @Test
  void anInterpreterThatCannotRunHasNoVersion() {
    assertThat(VerifierWorker.pythonVersion(Path.of("/nonexistent/python3"))).isEmpty();
  }
}
