package dev.autodidact.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed files (weights, optimizer state, checkpoints), named by the SHA-256 of their bytes:
 * {@code root/ab/abcdef...} (lowercase hex, sharded by the first two characters).
 *
 * <p>A blob is written to a temporary file in its shard directory, forced to disk, renamed atomically to its
 * name and the directory forced too: a blob file is either absent or complete. Temporary files (a crash in
 * the middle of a write leaves one behind) are never taken for blobs. Reading verifies the hash.
 *
 * <p>For one machine: a cluster whose nodes share no file system keeps its blobs in {@link PostgresBlobStore}.
 */
public final class BlobStore implements Blobs {

  private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path root;

  public BlobStore(Path root) throws IOException {
    this.root = Files.createDirectories(root.toAbsolutePath().normalize());
  }

  public Path root() {
    return root;
  }

  /** The root directory. */
  @Override
  public String describe() {
    return root.toString();
  }

  /**
   * Stores {@code bytes} unless an intact copy is already there.
   *
   * @return the lowercase hex SHA-256 of {@code bytes}, the blob's name
   */
  @Override
  public String put(byte[] bytes) throws IOException {
    String sha256 = sha256(bytes);
    if (isIntact(sha256)) {
      return sha256;
    }
    Path target = pathOf(sha256);
    Path shard = target.getParent();
    boolean newShard = !Files.isDirectory(shard);
    Files.createDirectories(shard);
    if (newShard) {
      forceDirectory(root);
    }
    Path temp = Files.createTempFile(shard, sha256 + ".", TEMP_SUFFIX);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("Blob store " + root + " needs a file system with atomic rename", e);
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory(shard);
    return sha256;
  }

  /**
   * Reads the blob named {@code sha256} and checks that its bytes still hash to that name.
   *
   * @throws NoSuchFileException if there is no such blob
   * @throws CorruptBlobException if the file is damaged or truncated
   */
  @Override
  public byte[] get(String sha256) throws IOException {
    Path path = pathOf(sha256);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path.toString(), null, "no blob " + sha256 + " in " + root);
    }
    String actual = sha256(bytes);
    if (!actual.equals(sha256)) {
      throw new CorruptBlobException(
          sha256,
          "Blob " + sha256 + " is corrupt: " + path + " (" + bytes.length + " bytes) hashes to " + actual
              + "; delete the file and restore the blob from a good copy or recompute it");
    }
    return bytes;
  }

  private boolean isIntact(String sha256) throws IOException {
    try {
      get(sha256);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (CorruptBlobException e) {
      LOG.warn("Replacing corrupt blob {} with a fresh copy", sha256);
      return false;
    }
  }

  /** Whether a blob of that name is stored (without verifying it). */
  @Override
  public boolean contains(String sha256) {
    return Files.isRegularFile(pathOf(sha256));
  }

  private Path pathOf(String sha256) {
    Sha256.requireName(sha256);
    return root.resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  /** Makes a rename or a new entry in {@code directory} durable. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
  }
}
