package dev.autodidact.core.random;

/**
 * A counter-based random stream: the n-th number of the stream keyed by
 * (run seed, step, phase, index) is a pure function of those values and n.
 *
 * <p>No state is shared between streams, so a draw never depends on thread timing, on
 * which other requests shared a batch, or on whether the run was resumed. Each instance
 * keeps only its own counter; create one per consumer and never share it between threads.
 *
 * <p>The mixing function is SplitMix64's finaliser (Steele, Lea and Flood, 2014), applied
 * to the key and the counter; it passes BigCrush when used this way.
 */
public final class SeedStream {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final long key;
  private long counter;

  private SeedStream(long key) {
    this.key = key;
  }

  /** The stream for one draw site of a run. */
  public static SeedStream of(long runSeed, long step, Phase phase, long index) {
    long k = mix(runSeed ^ 0x5DEECE66DL);
    k = mix(k ^ mix(step + GOLDEN_GAMMA));
    k = mix(k ^ mix(phase.code() * GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
    k = mix(k ^ mix(index * 0xD1B54A32D192ED03L + 1));
    return new SeedStream(k);
  }

  /**
   * The stream with this key, continued after {@code position} numbers: what {@link #key()}
   * and {@link #position()} said of a stream, so a stream can cross a process boundary and go
   * on drawing exactly the numbers it would have drawn where it was made.
   */
  public static SeedStream resume(long key, long position) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0: " + position);
    }
    SeedStream stream = new SeedStream(key);
    stream.counter = position;
    return stream;
  }

  /** A child stream, for a draw site nested inside another (token t of rollout i, say). */
  public SeedStream child(long subIndex) {
    return new SeedStream(mix(key ^ mix(subIndex * 0xAEF17502108EF2D9L + GOLDEN_GAMMA)));
  }

  /** The key of this stream; two streams with the same key produce the same numbers. */
  public long key() {
    return key;
  }

  /** How many numbers this stream has produced. */
  public long position() {
    return counter;
  }

  public long nextLong() {
    return mix(key + GOLDEN_GAMMA * (++counter));
  }

  /** Uniform in [0, 1), with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in (0, 1): never exactly 0, so it is safe under a logarithm. */
  public double nextOpenDouble() {
    return ((nextLong() >>> 11) + 0.5) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    while (true) {
      long bits = nextLong() >>> 1;
      long value = bits % bound;
      if (bits - value + (bound - 1) >= 0) {
        return (int) value;
      }
    }
  }

  /** Uniform in [lo, hi], both inclusive. */
  public int nextIntBetween(int lo, int hi) {
    return lo + nextInt(hi - lo + 1);
  }

  public boolean nextBoolean(double probabilityTrue) {
    return nextDouble() < probabilityTrue;
  }

  /** A standard Gumbel draw, for the Gumbel-max sampling trick. */
  public double nextGumbel() {
    return -Math.log(-Math.log(nextOpenDouble()));
  }

  /** One element of a non-empty list, uniformly. */
  public <T> T pick(java.util.List<T> items) {
    return items.get(nextInt(items.size()));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
