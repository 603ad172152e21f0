package dev.autodidact.cli;

/**
 * A mistake the user can fix (a bad flag, a missing directory): printed as one line that
 * says what failed and what to do, without a stack trace, and the command exits with 2.
 */
public final class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }
}
