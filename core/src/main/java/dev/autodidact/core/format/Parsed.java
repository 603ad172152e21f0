package dev.autodidact.core.format;

import java.util.Objects;
import java.util.function.Function;

/** The outcome of parsing model output: a value, or the one-line reason it is malformed. */
public record Parsed<T>(T value, String error) {

  public Parsed {
    if ((value == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of value and error must be set");
    }
  }

  public static <T> Parsed<T> ok(T value) {
    return new Parsed<>(Objects.requireNonNull(value), null);
  }

  public static <T> Parsed<T> malformed(String reason) {
    return new Parsed<>(null, Objects.requireNonNull(reason));
  }

  public boolean isOk() {
    return value != null;
  }

  public <U> Parsed<U> map(Function<T, U> f) {
    return isOk() ? ok(f.apply(value)) : malformed(error);
  }
}
