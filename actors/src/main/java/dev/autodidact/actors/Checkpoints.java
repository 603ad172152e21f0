package dev.autodidact.actors;

import dev.autodidact.persistence.Blobs;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Checkpoint bytes in the run's content-addressed blob store, for actors (which cannot throw checked). */
final class Checkpoints {
  private Checkpoints() {}

  /** The verified bytes of a checkpoint; a damaged blob fails here, before any use. */
  static byte[] load(Blobs blobs, String sha256) {
    try {
      return blobs.get(sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + sha256 + ": " + e.getMessage(), e);
    }
  }

  /** Stores a checkpoint and returns its SHA-256. */
  static String store(Blobs blobs, byte[] checkpoint) {
    try {
      return blobs.put(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store a checkpoint in " + blobs.describe() + ": " + e.getMessage(), e);
    }
  }
}
