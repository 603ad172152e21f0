package dev.autodidact.model.djl;

import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The models written by gpu-workers/scripts/make_torchscript_fixture.py. */
final class TorchScriptFixtures {
  private TorchScriptFixtures() {}

  static Path path(String name) {
    URL url = TorchScriptFixtures.class.getResource("/torchscript/" + name);
    if (url == null) {
      throw new IllegalStateException("no test resource torchscript/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The contract-abiding fixture, fresh, with one intra-op thread. */
  static Policy load() {
    return Policies.fromTorchScript(path("char_lm.pt"), 1);
  }
}
