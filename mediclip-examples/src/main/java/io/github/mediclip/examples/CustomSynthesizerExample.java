package io.github.mediclip.examples;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesisMixture;
import io.github.mediclip.synth.SynthesizedSample;
import io.github.mediclip.synth.ValidatingSynthesizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Example: write your own anomaly synthesizer and mix it with the built-in tasks.
 *
 * <p>The synthesizer below paints a bright, soft-edged disc (a crude "enhancing lesion") into a
 * normal image and labels it with a soft mask. It depends on {@code mediclip-synth} only (plain
 * Java, no native code). The mixture then draws it for 30 % of the training samples; the library
 * wraps user code in a {@link ValidatingSynthesizer} that rejects masks of the wrong size or range.
 *
 * <p>Run: {@code java -cp mediclip.jar io.github.mediclip.examples.CustomSynthesizerExample
 * [OUT_DIR]}
 */
public final class CustomSynthesizerExample {
  private CustomSynthesizerExample() {}

  /** Paints one bright disc of random radius (4..12 % of the width) at a random place. */
  public static final class BrightDiscSynthesizer implements AnomalySynthesizer {
    /** Creates the synthesizer; it has no options. */
    public BrightDiscSynthesizer() {}

    @Override
    public SynthesizedSample synthesize(
        GrayImage normal, SplittableRandom random, List<GrayImage> support) {
      int w = normal.width();
      int h = normal.height();
      double r = w * (0.04 + 0.08 * random.nextDouble());
      double cx = r + random.nextDouble() * Math.max(1, w - 2 * r);
      double cy = r + random.nextDouble() * Math.max(1, h - 2 * r);
      float gain = (float) (60 + 60 * random.nextDouble());
      float[] img = normal.toArray();
      float[] mask = new float[img.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double d = Math.hypot(x - cx, y - cy) / r;
          if (d < 1.2) {
            // soft edge: full strength inside 0.8 r, fading to 0 at 1.2 r
            float a = (float) Math.max(0, Math.min(1, (1.2 - d) / 0.4));
            int i = y * w + x;
            img[i] = Math.min(255f, img[i] + a * gain);
            mask[i] = a;
          }
        }
      }
      return new SynthesizedSample(GrayImage.of(w, h, img), GrayImage.of(w, h, mask));
    }
  }

  /**
   * Builds a mixture with the custom task and writes a few samples as PNG.
   *
   * @param args optional output folder (default {@code custom-synth-out})
   * @throws Exception on I/O errors
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "custom-synth-out");
    Files.createDirectories(out);
    SynthesisMixture mixture =
        SynthesisMixture.builder()
            .add("BrightDisc", new BrightDiscSynthesizer(), 0.3)
            .add("CutpasteTask", 0.35)
            .add("IdentityTask", 0.35)
            .build();
    AnomalySynthesizer checked = ValidatingSynthesizer.wrap(mixture);
    GrayImage normal = phantom(128);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 4; i++) {
      SynthesizedSample s = checked.synthesize(normal, random.split(), List.of(phantom(128)));
      s.image().writePng(out.resolve(String.format(Locale.ROOT, "sample-%d.png", i)));
      float[] m = s.mask().toArray();
      for (int j = 0; j < m.length; j++) {
        m[j] *= 255f;
      }
      GrayImage.of(128, 128, m)
          .writePng(out.resolve(String.format(Locale.ROOT, "sample-%d-mask.png", i)));
      System.out.printf(Locale.ROOT, "sample %d: mask area %.4f%n", i, s.maskArea());
    }
    System.out.println("mixture weights: " + mixture.weights());
  }

  /** A smooth gray disc on black, standing in for a normal slice. */
  static GrayImage phantom(int size) {
    float[] v = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double d = Math.hypot(x - size / 2.0, y - size / 2.0) / (0.4 * size);
        v[y * size + x] = d < 1 ? (float) (90 + 40 * (1 - d)) : 5f;
      }
    }
    return GrayImage.of(size, size, v);
  }
}
