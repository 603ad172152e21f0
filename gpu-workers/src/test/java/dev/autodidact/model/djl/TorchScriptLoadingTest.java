package dev.autodidact.model.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.model.Policies;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's file that cannot be trained is refused in one line that says why. */
class TorchScriptLoadingTest {
  @TempDir
  Path dir;

  @Test
  void aMissingFile() {
    assertRefused(dir.resolve("absent.pt"), "does not exist");
  }

  @Test
  void aDirectory() {
    assertRefused(dir, "is not a file");
  }

  @Test
  void aFileThatIsNotAnArchive() throws IOException {
    Path text = Files.writeString(dir.resolve("model.pt"), "def forward(ids): return ids\n");
    assertRefused(text, "is not a TorchScript module");
  }

  @Test
  void anArchiveThatIsNotTorchScript() throws IOException {
    Path zip = dir.resolve("weights.pt");
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry("weights/data.pkl"));
      out.write("not a module".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertRefused(zip, "is not a TorchScript module");
  }

  @Test
  void anotherVocabulary() {
    assertRefused(TorchScriptFixtures.path("wrong_vocab.pt"), "the character tokenizer's 99 ids");
  }

  @Test
  void noDeclaredContext() {
    assertRefused(TorchScriptFixtures.path("no_context_length.pt"), "does not export context_length()");
  }

  @Test
  void aModelThatSeesTheFuture() {
    assertRefused(TorchScriptFixtures.path("not_causal.pt"), "must be causal");
  }

  private static void assertRefused(Path file, String reason) {
    assertThatThrownBy(() -> Policies.fromTorchScript(file, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400));
  }
}
