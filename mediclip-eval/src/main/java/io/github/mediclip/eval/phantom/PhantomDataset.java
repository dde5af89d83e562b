package io.github.mediclip.eval.phantom;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.DatasetReader;
import io.github.mediclip.eval.data.Layout;
import io.github.mediclip.internal.AtomicFiles;
import io.github.mediclip.synth.GrayImage;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A synthetic, brain-slice-like dataset for tests and demos, written in the {@link Layout#PLAIN
 * plain layout}.
 *
 * <p>Each subject is an axial "slice": a bright elliptical skull ring around a thin dark CSF rim,
 * brain tissue with a smooth low-frequency texture and a darker outer cortex band, and two dark
 * ventricles near the midline. Size, aspect, rotation, position, tissue intensity, texture and
 * noise vary per subject. Anomalous test images carry one to two round tumour-like lesions (a
 * bright or dark core with a smooth edema ring), which differ from the training synthesizers of
 * MediCLIP (cut-paste patches, intensity changes, deformations); the mask covers the core and the
 * ring and is written as an 8-bit PNG (0/255) under the image's name in {@code
 * ground_truth/abnormal}.
 *
 * <p>Deterministic per seed: one {@link SplittableRandom} stream is split per image, in the order
 * train, test normal, test abnormal. Pure Java; a 224 x 224 image takes a few milliseconds.
 */
public final class PhantomDataset {

  private PhantomDataset() {}

  /**
   * Generates a dataset.
   *
   * @param out the folder to create (must not exist, or be empty)
   * @param trainNormals number of normal training images, at least 1
   * @param testNormals number of normal test images, at least 1
   * @param testAbnormals number of anomalous test images, at least 1
   * @param size width and height in pixels, 32 to 2048
   * @param seed the seed
   * @return the dataset as read back by {@link DatasetReader} (PLAIN layout)
   */
  public static Dataset generate(
      Path out, int trainNormals, int testNormals, int testAbnormals, int size, long seed) {
    check("trainNormals", trainNormals, 1, 100_000);
    check("testNormals", testNormals, 1, 100_000);
    check("testAbnormals", testAbnormals, 1, 100_000);
    check("size", size, 32, 2048);
    try {
      if (Files.exists(out)) {
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw new IllegalArgumentException(
                "phantom output folder "
                    + out
                    + " is not empty; choose a new or"
                    + " empty folder");
          }
        }
      }
      Path trainDir = Files.createDirectories(out.resolve("train").resolve("normal"));
      Path testNormal = Files.createDirectories(out.resolve("test").resolve("normal"));
      Path testAbnormal = Files.createDirectories(out.resolve("test").resolve("abnormal"));
      Path gt = Files.createDirectories(out.resolve("ground_truth").resolve("abnormal"));
      SplittableRandom root = new SplittableRandom(seed);
      for (int i = 0; i < trainNormals; i++) {
        AtomicFiles.writePng(
            trainDir.resolve(name("normal", i)), render(size, root.split(), false).image);
      }
      for (int i = 0; i < testNormals; i++) {
        AtomicFiles.writePng(
            testNormal.resolve(name("normal", i)), render(size, root.split(), false).image);
      }
      for (int i = 0; i < testAbnormals; i++) {
        Slice slice = render(size, root.split(), true);
        AtomicFiles.writePng(testAbnormal.resolve(name("lesion", i)), slice.image);
        AtomicFiles.writePng(gt.resolve(name("lesion", i)), slice.mask);
      }
      String meta =
          String.format(
              Locale.ROOT,
              "{\"generator\": \"%s\", \"seed\": %d, \"size\": %d,"
                  + " \"trainNormals\": %d, \"testNormals\": %d, \"testAbnormals\": %d}%n",
              PhantomDataset.class.getName(),
              seed,
              size,
              trainNormals,
              testNormals,
              testAbnormals);
      AtomicFiles.writeString(out.resolve("phantom.json"), meta);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write phantom dataset to " + out + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "cannot write phantom dataset to " + out + ": " + e.getMessage(), e.getCause());
    }
    return DatasetReader.read(out, Layout.PLAIN);
  }

  /**
   * Renders one normal (lesion-free) slice in memory, drawn like the normal images {@link
   * #generate} writes.
   *
   * @param size width and height in pixels, 16 to 4096
   * @param seed the seed of this slice
   * @return the slice, gray values 0..255
   */
  public static GrayImage normalSlice(int size, long seed) {
    check("size", size, 16, 4096);
    return GrayImage.fromBufferedImage(render(size, new SplittableRandom(seed), false).image);
  }

  private static String name(String prefix, int i) {
    return String.format(Locale.ROOT, "%s_%04d.png", prefix, i);
  }

  private static void check(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " is " + value + "; it must be in [" + min + ", " + max + "]");
    }
  }

  /** One rendered slice: 8-bit gray image and (for anomalous slices) an 8-bit 0/255 mask. */
  static final class Slice {
    final BufferedImage image;
    final BufferedImage mask;
    final int maskPixels;

    Slice(BufferedImage image, BufferedImage mask, int maskPixels) {
      this.image = image;
      this.mask = mask;
      this.maskPixels = maskPixels;
    }
  }

  /**
   * Renders one subject.
   *
   * @param size width and height
   * @param r the subject's random stream
   * @param lesion whether to add lesions
   * @return the slice
   */
  static Slice render(int size, SplittableRandom r, boolean lesion) {
    double s = size;
    double cx = s / 2 + (r.nextDouble() - 0.5) * 0.06 * s;
    double cy = s / 2 + (r.nextDouble() - 0.5) * 0.06 * s;
    double a = s * 0.34 * (1 + (r.nextDouble() - 0.5) * 0.14); // half width
    double b = s * 0.42 * (1 + (r.nextDouble() - 0.5) * 0.12); // half height
    double theta = (r.nextDouble() - 0.5) * 0.4;
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double tissue = 105 + (r.nextDouble() - 0.5) * 30;
    double cortex = tissue * (0.78 + r.nextDouble() * 0.1);
    double skull = 190 + (r.nextDouble() - 0.5) * 40;
    double csf = 25 + r.nextDouble() * 15;
    double noise = 2 + r.nextDouble() * 4;
    double skullWidth = 0.06 + r.nextDouble() * 0.03;
    // smooth texture: a few random low-frequency waves
    int waves = 5;
    double[] fx = new double[waves];
    double[] fy = new double[waves];
    double[] ph = new double[waves];
    double[] amp = new double[waves];
    for (int k = 0; k < waves; k++) {
      double f = (1.5 + r.nextDouble() * 4) * 2 * Math.PI / s;
      double dir = r.nextDouble() * Math.PI;
      fx[k] = f * Math.cos(dir);
      fy[k] = f * Math.sin(dir);
      ph[k] = r.nextDouble() * 2 * Math.PI;
      amp[k] = 3 + r.nextDouble() * 5;
    }
    // ventricles: two mirrored ellipses near the centre, in brain coordinates (units of the
    // semi-axes)
    double vx = 0.12 + r.nextDouble() * 0.06;
    double vy = -0.05 + (r.nextDouble() - 0.5) * 0.1;
    double va = 0.07 + r.nextDouble() * 0.05;
    double vb = 0.22 + r.nextDouble() * 0.1;
    double vtilt = 0.3 + r.nextDouble() * 0.3;
    double ventricle = csf + 10 + r.nextDouble() * 15;

    // lesions, placed inside the brain (in pixel coordinates)
    int lesions = lesion ? 1 + (r.nextDouble() < 0.3 ? 1 : 0) : 0;
    double[] lx = new double[lesions];
    double[] ly = new double[lesions];
    double[] lr = new double[lesions];
    double[] lcore = new double[lesions];
    double[] ledema = new double[lesions];
    for (int k = 0; k < lesions; k++) {
      double rad = 0.15 + r.nextDouble() * 0.5;
      double ang = r.nextDouble() * 2 * Math.PI;
      double u = rad * Math.cos(ang) * a;
      double v = rad * Math.sin(ang) * b;
      lx[k] = cx + u * cos - v * sin;
      ly[k] = cy + u * sin + v * cos;
      lr[k] = s * (0.035 + r.nextDouble() * 0.05);
      lcore[k] = r.nextDouble() < 0.65 ? 55 + r.nextDouble() * 40 : -(45 + r.nextDouble() * 30);
      ledema[k] = 18 + r.nextDouble() * 14;
    }

    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage mask =
        lesion ? new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY) : null;
    WritableRaster raster = image.getRaster();
    WritableRaster maskRaster = mask == null ? null : mask.getRaster();
    int maskPixels = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double u = (dx * cos + dy * sin) / a; // brain coordinates
        double v = (-dx * sin + dy * cos) / b;
        double rr = Math.sqrt(u * u + v * v);
        double value = 4;
        double brain = 1 - smooth(0.90, 0.94, rr);
        if (brain > 0) {
          double tex = 0;
          for (int k = 0; k < waves; k++) {
            tex += amp[k] * Math.sin(fx[k] * x + fy[k] * y + ph[k]);
          }
          double t = tissue + tex;
          t = t + (cortex - tissue) * smooth(0.72, 0.88, rr);
          double vent =
              Math.max(
                  ventricleWeight(u - vx, v - vy, va, vb, -vtilt),
                  ventricleWeight(u + vx, v - vy, va, vb, vtilt));
          t = t + (ventricle - t) * vent;
          value = value + (t - value) * brain;
        }
        double gap = smooth(0.90, 0.94, rr) * (1 - smooth(0.97, 1.0, rr));
        value = value + (csf - value) * gap;
        double bone = smooth(0.97, 1.0, rr) * (1 - smooth(1.0 + skullWidth, 1.03 + skullWidth, rr));
        value = value + (skull - value) * bone;
        boolean inMask = false;
        for (int k = 0; k < lesions; k++) {
          double d = Math.hypot(x + 0.5 - lx[k], y + 0.5 - ly[k]) / lr[k];
          double core = 1 - smooth(0.8, 1.0, d);
          double edema = (1 - smooth(1.3, 1.8, d)) * (1 - core);
          value += (lcore[k] * core + ledema[k] * edema) * brain;
          inMask |= d < 1.6 && brain > 0.5;
        }
        value += r.nextGaussian() * noise;
        raster.setSample(x, y, 0, (int) Math.round(Math.max(0, Math.min(255, value))));
        if (inMask) {
          maskRaster.setSample(x, y, 0, 255);
          maskPixels++;
        }
      }
    }
    return new Slice(image, mask, maskPixels);
  }

  private static double ventricleWeight(double u, double v, double ea, double eb, double tilt) {
    double c = Math.cos(tilt);
    double sn = Math.sin(tilt);
    double p = (u * c + v * sn) / ea;
    double q = (-u * sn + v * c) / eb;
    return 1 - smooth(0.85, 1.0, Math.sqrt(p * p + q * q));
  }

  /** Hermite smoothstep from 0 at e0 to 1 at e1. */
  private static double smooth(double e0, double e1, double x) {
    double t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
    return t * t * (3 - 2 * t);
  }
}
