package io.github.mediclip.bench.synth;

import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import io.github.mediclip.synth.Synthesizers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Renders one picture per registered reference task, original | synthesized | mask, from a
 * synthetic brain slice, into a folder (default {@code docs/images/synthesis}); the pictures of
 * {@code docs/synthesis.md} are made with it: {@code java -cp ...
 * io.github.mediclip.bench.synth.SynthesisGallery docs/images/synthesis}. Seed 3 for every task;
 * the support set is three other synthetic slices.
 */
public final class SynthesisGallery {
  private SynthesisGallery() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/images/synthesis");
    Files.createDirectories(out);
    List<GrayImage> images = BrainSlices.generate(4, 224, 1);
    GrayImage normal = images.get(0);
    List<GrayImage> support = images.subList(1, 4);
    for (String name : Synthesizers.referenceNames()) {
      SynthesizedSample s =
          Synthesizers.create(name).synthesize(normal, new SplittableRandom(3), support);
      BufferedImage row = strip(normal, s.image(), scale(s.mask()));
      Path file = out.resolve(name + ".png");
      ImageIO.write(row, "png", file.toFile());
      System.out.printf(
          "%s: mask area %.3f -> %s (%d bytes)%n", name, s.maskArea(), file, Files.size(file));
    }
  }

  private static GrayImage scale(GrayImage mask) {
    float[] p = mask.toArray();
    for (int i = 0; i < p.length; i++) {
      p[i] *= 255f;
    }
    return GrayImage.of(mask.width(), mask.height(), p);
  }

  private static BufferedImage strip(GrayImage... panels) {
    int gap = 4;
    int w = panels[0].width();
    int h = panels[0].height();
    BufferedImage img =
        new BufferedImage(
            panels.length * w + (panels.length - 1) * gap, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.getRaster().setSample(x, y, 0, 128);
      }
    }
    for (int k = 0; k < panels.length; k++) {
      BufferedImage p = panels[k].toBufferedImage();
      img.getRaster().setRect(k * (w + gap), 0, p.getRaster());
    }
    return img;
  }
}
