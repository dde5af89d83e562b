package io.github.mediclip.spark.internal;

import ai.djl.Device;
import io.github.mediclip.DetectorLoader;
import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * One detector per executor JVM (and per GPU), keyed by bundle hash, backbone and device, shared by
 * every task and partition that runs in the JVM. DJL's Spark extension reloads its model per
 * partition (deepjavalibrary/djl#3079); loading a ViT backbone takes seconds, so that would
 * dominate short partitions.
 *
 * <p>The first task that needs a key loads the detector; tasks that arrive meanwhile wait for the
 * same load. {@link MediClipDetector} is thread-safe, so concurrent tasks share it. A failed load
 * is not cached (the next task retries and reports the same error). All detectors are closed by a
 * JVM shutdown hook (executors exit through {@code System.exit}).
 */
public final class DetectorCache {

  private static final Map<String, CompletableFuture<MediClipDetector>> DETECTORS =
      new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOADS_PER_BUNDLE = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final Object HOOK_LOCK = new Object();
  private static boolean hookInstalled;

  private DetectorCache() {}

  /**
   * Returns the JVM's detector for a spec, loading it on first use.
   *
   * @param spec the bundle, backbone and device
   * @param onLoad called once with a one-line load record ({@link #jvmId()}, bundle hash, device,
   *     seconds) by the task that performed the load; not called when the detector was cached
   * @return the shared detector (never close it)
   * @throws RuntimeException when the bundle cannot be loaded or differs from the driver's
   */
  public static MediClipDetector get(DetectorSpec spec, Consumer<String> onLoad) {
    Device device = resolveDevice(spec.device());
    String key = spec.bundleSha256() + "|" + spec.backbone() + "|" + device;
    CompletableFuture<MediClipDetector> mine = new CompletableFuture<>();
    CompletableFuture<MediClipDetector> existing = DETECTORS.putIfAbsent(key, mine);
    if (existing == null) {
      try {
        long t0 = System.nanoTime();
        MediClipDetector d = load(spec, device);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOADS.incrementAndGet();
        LOADS_PER_BUNDLE
            .computeIfAbsent(spec.bundleSha256(), k -> new AtomicInteger())
            .incrementAndGet();
        installShutdownHook();
        mine.complete(d);
        onLoad.accept(
            String.format(
                Locale.ROOT,
                "jvm=%s bundle=%s device=%s seconds=%.3f",
                jvmId(),
                spec.bundleSha256().substring(0, 12),
                device,
                seconds));
        return d;
      } catch (RuntimeException | Error e) {
        DETECTORS.remove(key, mine);
        mine.completeExceptionally(e);
        throw e;
      }
    }
    try {
      return existing.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the detector to load", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("loading the detector failed: " + c, c);
    }
  }

  private static MediClipDetector load(DetectorSpec spec, Device device) {
    Path bundle = BundleHash.localPath(spec.bundle());
    String sha = BundleHash.sha256(bundle);
    if (!sha.equals(spec.bundleSha256())) {
      throw new IllegalStateException(
          "detector bundle "
              + bundle
              + " on executor "
              + jvmId()
              + " has SHA-256 "
              + sha
              + " but the driver's has "
              + spec.bundleSha256()
              + "; give every node the same bundle (a shared file system)");
    }
    if (spec.torchThreads() > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      // Read by DJL when the PyTorch engine starts, i.e. before the first detector of this JVM.
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(spec.torchThreads()));
    }
    Path backbone = spec.backbone() == null ? null : BundleHash.localPath(spec.backbone());
    DetectorLoader loader = MediClip.loader().optDevice(device);
    if (backbone != null) {
      loader = loader.optBackbone(backbone);
    }
    return loader.load(bundle);
  }

  /**
   * Resolves a device name: {@code auto} is the GPU that Spark assigned to the running task ({@code
   * spark.task.resource.gpu.amount}), else the CPU.
   *
   * @param name {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @return the device
   */
  public static Device resolveDevice(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("cpu")) {
      return Device.cpu();
    }
    if (n.equals("gpu")) {
      return Device.gpu();
    }
    if (n.startsWith("gpu:")) {
      return Device.gpu(Integer.parseInt(n.substring(4)));
    }
    if (n.equals("auto")) {
      TaskContext tc = TaskContext.get();
      if (tc != null) {
        ResourceInformation gpu = tc.resourcesJMap().get("gpu");
        if (gpu != null && gpu.addresses().length > 0) {
          return Device.gpu(Integer.parseInt(gpu.addresses()[0]));
        }
      }
      return Device.cpu();
    }
    throw new IllegalArgumentException(
        "device must be auto, cpu, gpu or gpu:N, got '" + name + "'");
  }

  /**
   * Returns how many detectors this JVM has loaded (all bundles).
   *
   * @return the count
   */
  public static int loads() {
    return LOADS.get();
  }

  /**
   * Returns how many times this JVM has loaded a bundle.
   *
   * @param bundleSha256 the bundle hash
   * @return the count (0 when never loaded)
   */
  public static int loads(String bundleSha256) {
    AtomicInteger n = LOADS_PER_BUNDLE.get(bundleSha256);
    return n == null ? 0 : n.get();
  }

  /**
   * Identifies this JVM: {@code pid@host}.
   *
   * @return the JVM's runtime name
   */
  public static String jvmId() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  private static void installShutdownHook() {
    synchronized (HOOK_LOCK) {
      if (hookInstalled) {
        return;
      }
      hookInstalled = true;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(DetectorCache::closeAll, "mediclip-detector-cache-close"));
    }
  }

  /** Closes every cached detector (waiting for running predictions) and empties the cache. */
  public static void closeAll() {
    for (String key : DETECTORS.keySet()) {
      CompletableFuture<MediClipDetector> f = DETECTORS.remove(key);
      if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
        f.join().close();
      }
    }
  }
}
