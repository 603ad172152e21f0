package dev.autodidact.persistence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Blob names: the lowercase hex SHA-256 of the bytes, the same for every {@link Blobs} implementation. */
final class Sha256 {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private Sha256() {}

  static String of(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  /**
   * Refuses anything but a lowercase hex SHA-256, before it reaches a path or a query: a name is never
   * taken as a relative path, and the two stores accept exactly the same names.
   */
  static String requireName(String sha256) {
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("Not a lowercase hex SHA-256: '" + sha256 + "'");
    }
    return sha256;
  }
}
