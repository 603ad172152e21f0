package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

  private static final byte[] WEIGHTS = "0.25 0.5 -1.0 weights".getBytes(StandardCharsets.UTF_8);
  private static final String WEIGHTS_SHA256 = BlobStore.sha256(WEIGHTS);

  @TempDir Path root;

  @Test
  void storesUnderTheSha256OfTheBytesAndReadsThemBack() throws IOException {
    BlobStore store = new BlobStore(root);

    String sha256 = store.put(WEIGHTS);

    assertThat(sha256).matches("[0-9a-f]{64}").isEqualTo(WEIGHTS_SHA256);
    assertThat(root.resolve(sha256.substring(0, 2)).resolve(sha256)).hasBinaryContent(WEIGHTS);
    assertThat(store.contains(sha256)).isTrue();
    assertThat(store.get(sha256)).isEqualTo(WEIGHTS);
  }

  @Test
  void knownDigest() {
    assertThat(BlobStore.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void identicalContentIsStoredOnce() throws IOException {
    BlobStore store = new BlobStore(root);

    String first = store.put(WEIGHTS);
    String second = store.put(WEIGHTS.clone());

    assertThat(second).isEqualTo(first);
    assertThat(filesUnder(root)).containsExactly(root.resolve(first.substring(0, 2)).resolve(first));
  }

  @Test
  void aCorruptedBlobIsRefused() throws IOException {
    BlobStore store = new BlobStore(root);
    String sha256 = store.put(WEIGHTS);
    Path file = root.resolve(sha256.substring(0, 2)).resolve(sha256);
    byte[] flipped = WEIGHTS.clone();
    flipped[3] ^= 0x01;
    Files.write(file, flipped);

    assertThatThrownBy(() -> store.get(sha256))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(sha256)
        .hasMessageContaining("corrupt")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aTruncatedBlobIsRefused() throws IOException {
    BlobStore store = new BlobStore(root);
    String sha256 = store.put(WEIGHTS);
    Path file = root.resolve(sha256.substring(0, 2)).resolve(sha256);
    Files.write(file, Arrays.copyOf(WEIGHTS, WEIGHTS.length / 2));

    assertThatThrownBy(() -> store.get(sha256))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(sha256)
        .hasMessageContaining(WEIGHTS.length / 2 + " bytes");
  }

  @Test
  void puttingAgainRepairsACorruptedBlob() throws IOException {
    BlobStore store = new BlobStore(root);
    String sha256 = store.put(WEIGHTS);
    Files.write(root.resolve(sha256.substring(0, 2)).resolve(sha256), new byte[0]);

    store.put(WEIGHTS);

    assertThat(store.get(sha256)).isEqualTo(WEIGHTS);
  }

  @Test
  void aStrayTempFileIsNotABlob() throws IOException {
    BlobStore store = new BlobStore(root);
    Path shard = Files.createDirectories(root.resolve(WEIGHTS_SHA256.substring(0, 2)));
    Files.write(shard.resolve(WEIGHTS_SHA256 + ".123456.tmp"), Arrays.copyOf(WEIGHTS, 4));

    assertThat(store.contains(WEIGHTS_SHA256)).isFalse();
    assertThatThrownBy(() -> store.get(WEIGHTS_SHA256))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(WEIGHTS_SHA256);

    assertThat(store.put(WEIGHTS)).isEqualTo(WEIGHTS_SHA256);
    assertThat(store.get(WEIGHTS_SHA256)).isEqualTo(WEIGHTS);
  }

  @Test
  void namesThatAreNotHashesAreRejected() throws IOException {
    BlobStore store = new BlobStore(root);

    assertThatThrownBy(() -> store.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.contains(WEIGHTS_SHA256.toUpperCase()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Stream<Path> filesUnder(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).toList().stream();
    }
  }
}
