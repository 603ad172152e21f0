package dev.autodidact.model.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch runtime as this module uses it: loaded offline, one inter-op thread, intra-op
 * threads and grad mode set per calling thread (both are thread-local in PyTorch).
 */
final class Torch {
  private static final Logger LOG = LoggerFactory.getLogger(Torch.class);

  /** PyTorch's autograd accepts one DJL GradientCollector per process at a time. */
  private static final ReentrantLock GRADIENT_LOCK = new ReentrantLock();

  private static volatile Engine engine;

  private Torch() {}

  static Engine engine() {
    Engine loaded = engine;
    if (loaded == null) {
      synchronized (Torch.class) {
        loaded = engine;
        if (loaded == null) {
          // Native libraries come from the classpath jar: nothing may be downloaded, and no
          // start-up call may probe the network.
          defaultProperty("ai.djl.offline", "true");
          defaultProperty("OPT_OUT_TRACKING", "true");
          defaultProperty("ai.djl.pytorch.num_interop_threads", "1");
          // TorchScript modules train only with the graph executor's optimizer off; the GPT
          // has no TorchScript, so this changes nothing for it.
          defaultProperty("ai.djl.pytorch.graph_optimizer", "false");
          NativeAllocator.tune();
          loaded = Engine.getEngine("PyTorch");
          LOG.info("PyTorch {} on device {}", loaded.getVersion(), deviceName(loaded));
          if (JniUtils.getNumInteropThreads() != 1) {
            LOG.warn("PyTorch runs {} inter-op threads, not 1: the engine was started elsewhere",
                JniUtils.getNumInteropThreads());
          }
          engine = loaded;
        }
      }
    }
    return loaded;
  }

  static Device device() {
    return engine().defaultDevice();
  }

  static String deviceName() {
    return deviceName(engine());
  }

  private static String deviceName(Engine e) {
    Device device = e.defaultDevice();
    return device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
  }

  /**
   * Runs {@code work} in the calling thread with the given intra-op threads and grad mode off,
   * restoring the previous grad mode afterwards.
   */
  static <T> T inference(int threads, Supplier<T> work) {
    engine();
    // PyTorch initialises a thread's intra-op count lazily, at its first parallel op, from the
    // count *any* thread set last; on a thread new to PyTorch that could undo the set below
    // while another thread sets a different count (a sampler sets 1 while a learner sets 2),
    // and 1 and 2 threads differ in the last bits of a reduction. Asking for the count first
    // runs that initialisation now, so the explicit count always holds for this work.
    JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /** Like {@link #inference}, holding the process-wide gradient lock for a training step. */
  static <T> T training(int threads, Supplier<T> work) {
    GRADIENT_LOCK.lock();
    try {
      return inference(threads, work);
    } finally {
      GRADIENT_LOCK.unlock();
    }
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
