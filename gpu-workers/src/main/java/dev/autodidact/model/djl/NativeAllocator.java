package dev.autodidact.model.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps glibc from returning PyTorch's large, short-lived buffers to the kernel after every op.
 *
 * <p>By default glibc serves large allocations with fresh {@code mmap}s and trims the heap top
 * on free, so every training step page-faults in hundreds of megabytes again: measured here,
 * training ran 2-3x slower, with a third of its time in the kernel. Raising the mmap threshold
 * to its maximum (32 MiB) and disabling trimming keeps those pages for reuse, at the price of
 * a resident size that stays at its high-water mark. Same effect as starting the JVM with
 * {@code MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824}; it is skipped when
 * either variable is set, or with {@code -Dautodidact.torch.tuneAllocator=false}.
 */
final class NativeAllocator {
  private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);

  /** glibc's largest accepted mmap threshold on 64-bit (HEAP_MAX_SIZE / 2). */
  static final int MMAP_THRESHOLD_BYTES = 32 << 20;

  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_MMAP_THRESHOLD = -3;
  private static final int TRIM_THRESHOLD_BYTES = 1 << 30;

  private NativeAllocator() {}

  /** The C library's allocator tuning call. */
  private interface CLibrary extends Library {
    int mallopt(int param, int value);
  }

  static void tune() {
    if (!Boolean.parseBoolean(System.getProperty("autodidact.torch.tuneAllocator", "true"))
        || !Platform.isLinux()
        || System.getenv("MALLOC_MMAP_THRESHOLD_") != null
        || System.getenv("MALLOC_TRIM_THRESHOLD_") != null) {
      return;
    }
    try {
      CLibrary c = Native.load("c", CLibrary.class);
      boolean applied = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
          & c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1;
      if (applied) {
        LOG.info("Native allocator: mmap threshold {} bytes, trim threshold {} bytes",
            MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES);
      } else {
        LOG.info("Native allocator: mallopt refused the tuning; large tensors will page-fault");
      }
    } catch (LinkageError e) {
      LOG.warn("Native allocator: mallopt not available ({}); large tensors will page-fault",
          e.toString());
    }
  }
}
