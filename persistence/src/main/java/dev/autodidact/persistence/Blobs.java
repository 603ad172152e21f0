package dev.autodidact.persistence;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Content-addressed storage of checkpoints (weights, optimizer state), each blob named by the lowercase hex
 * SHA-256 of its bytes. Callers record only the name (in events, in the base-model index) and depend on
 * nothing else, so a run on one machine can keep its blobs in a directory ({@link BlobStore}) and a cluster
 * in a database every node reaches ({@link PostgresBlobStore}).
 *
 * <p>Every implementation gives the same guarantees: a blob is stored whole or not at all; storing the same
 * bytes again, even from several threads or processes at once, is harmless and yields the same name; reading
 * checks the hash, so damaged bytes are never handed out as a checkpoint. Names that are not a lowercase hex
 * SHA-256 are refused with {@link IllegalArgumentException}.
 */
public interface Blobs {

  /**
   * Stores {@code bytes} unless an intact copy is already there (a damaged copy is replaced). The array
   * must not change while this runs; it is not kept afterwards.
   *
   * @return the lowercase hex SHA-256 of {@code bytes}, the blob's name
   * @throws IOException if the blob could not be stored durably, or is too large for this store
   */
  String put(byte[] bytes) throws IOException;

  /**
   * Reads the blob named {@code sha256} and checks that its bytes still hash to that name.
   *
   * @return a fresh array the caller owns
   * @throws NoSuchFileException if there is no such blob (its message names the blob and the store)
   * @throws CorruptBlobException if the stored bytes are damaged or truncated
   */
  byte[] get(String sha256) throws IOException;

  /** Whether a blob of that name is stored, without reading or verifying its bytes. */
  boolean contains(String sha256) throws IOException;

  /**
   * Where the blobs live, for messages and logs: a directory, or a table and database URL. Never contains a
   * password.
   */
  String describe();
}
