package dev.autodidact.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link Blobs} promises, run against each implementation: callers switch between them without
 * noticing anything but where the bytes live.
 */
abstract class BlobsContract {

  static final byte[] WEIGHTS = "0.25 0.5 -1.0 weights".getBytes(StandardCharsets.UTF_8);
  static final String WEIGHTS_SHA256 = Sha256.of(WEIGHTS);

  private Blobs blobs;

  /** A new, empty store; called before each test. */
  abstract Blobs emptyStore() throws Exception;

  /** Replaces the stored bytes of blob {@code sha256} behind the store's back, as a fault on disk would. */
  abstract void damage(String sha256, byte[] replacement) throws Exception;

  @BeforeEach
  final void openEmptyStore() throws Exception {
    blobs = emptyStore();
  }

  @Test
  void storesUnderTheSha256OfTheBytesAndReadsThemBack() throws Exception {
    String sha256 = blobs.put(WEIGHTS);

    assertThat(sha256).matches("[0-9a-f]{64}").isEqualTo(WEIGHTS_SHA256);
    assertThat(blobs.contains(sha256)).isTrue();
    assertThat(blobs.get(sha256)).isEqualTo(WEIGHTS);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2_000, 8_192, 3_000_000})
  void roundTripsBlobsOfEverySize(int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);

    String sha256 = blobs.put(bytes);

    assertThat(blobs.get(sha256)).isEqualTo(bytes);
  }

  @Test
  void knownDigest() throws Exception {
    assertThat(blobs.put("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void puttingTheSameBytesAgainIsHarmless() throws Exception {
    String first = blobs.put(WEIGHTS);
    String second = blobs.put(WEIGHTS.clone());

    assertThat(second).isEqualTo(first);
    assertThat(blobs.get(first)).isEqualTo(WEIGHTS);
  }

  @Test
  void theReturnedArrayIsTheCallersOwn() throws Exception {
    String sha256 = blobs.put(WEIGHTS);
    blobs.get(sha256)[0] ^= 0x01;

    assertThat(blobs.get(sha256)).isEqualTo(WEIGHTS);
  }

  @Test
  void aMissingBlobIsNoSuchFile() throws Exception {
    assertThat(blobs.contains(WEIGHTS_SHA256)).isFalse();
    assertThatThrownBy(() -> blobs.get(WEIGHTS_SHA256))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(WEIGHTS_SHA256)
        .hasMessageContaining(blobs.describe());
  }

  @Test
  void aDamagedBlobIsRefused() throws Exception {
    String sha256 = blobs.put(WEIGHTS);
    byte[] flipped = WEIGHTS.clone();
    flipped[3] ^= 0x01;
    damage(sha256, flipped);

    assertThat(blobs.contains(sha256)).as("contains does not verify").isTrue();
    assertThatThrownBy(() -> blobs.get(sha256))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(sha256)
        .hasMessageContaining("corrupt")
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(((CorruptBlobException) e).sha256()).isEqualTo(sha256));
  }

  @Test
  void aTruncatedBlobIsRefused() throws Exception {
    String sha256 = blobs.put(WEIGHTS);
    damage(sha256, Arrays.copyOf(WEIGHTS, WEIGHTS.length / 2));

    assertThatThrownBy(() -> blobs.get(sha256))
        .isInstanceOf(CorruptBlobException.class)
        .hasMessageContaining(WEIGHTS.length / 2 + " bytes");
  }

  @Test
  void puttingAgainRepairsADamagedBlob() throws Exception {
    String sha256 = blobs.put(WEIGHTS);
    damage(sha256, new byte[0]);

    assertThat(blobs.put(WEIGHTS)).isEqualTo(sha256);

    assertThat(blobs.get(sha256)).isEqualTo(WEIGHTS);
  }

  @Test
  void concurrentPutsOfTheSameBlobAllSucceed() throws Exception {
    int threads = 2;
    int rounds = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        byte[] bytes = new byte[64 * 1024];
        new Random(round).nextBytes(bytes);
        CyclicBarrier start = new CyclicBarrier(threads);
        Callable<String> put = () -> {
          start.await(10, TimeUnit.SECONDS);
          return blobs.put(bytes);
        };
        List<Future<String>> puts = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
          puts.add(pool.submit(put));
        }
        String expected = Sha256.of(bytes);
        for (Future<String> done : puts) {
          assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        }
        assertThat(blobs.get(expected)).isEqualTo(bytes);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void namesThatAreNotHashesAreRejected() {
    assertThatThrownBy(() -> blobs.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> blobs.get("x' OR '1'='1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> blobs.contains(WEIGHTS_SHA256.toUpperCase()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
