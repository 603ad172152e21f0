package dev.autodidact.persistence;

import java.io.IOException;

/** A stored blob whose bytes no longer hash to its name: it must not be used. */
public final class CorruptBlobException extends IOException {

  private final String sha256;

  public CorruptBlobException(String sha256, String message) {
    super(message);
    this.sha256 = sha256;
  }

  /** The hash the blob was stored under. */
  public String sha256() {
    return sha256;
  }
}
