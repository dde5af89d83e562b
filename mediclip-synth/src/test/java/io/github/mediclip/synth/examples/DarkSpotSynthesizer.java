package io.github.mediclip.synth.examples;

import io.github.mediclip.synth.AnomalySynthesizer;
import io.github.mediclip.synth.GrayImage;
import io.github.mediclip.synth.SynthesizedSample;
import java.util.List;
import java.util.SplittableRandom;

// tag::example[]
/**
 * Example of a custom synthesizer (shown in docs/synthesis.md): darkens a random ellipse by 40–80 %
 * with a soft edge, and labels it with the same soft weight.
 */
public final class DarkSpotSynthesizer implements AnomalySynthesizer {

  @Override
  public SynthesizedSample synthesize(
      GrayImage normal, SplittableRandom random, List<GrayImage> support) {
    int w = normal.width();
    int h = normal.height();
    // every random number comes from `random`: same seed, same sample, on any thread
    double cx = random.nextDouble() * w;
    double cy = random.nextDouble() * h;
    double rx = (0.05 + 0.15 * random.nextDouble()) * w;
    double ry = (0.05 + 0.15 * random.nextDouble()) * h;
    double darkening = 0.4 + 0.4 * random.nextDouble();
    float[] image = normal.toArray(); // a copy: the input stays untouched
    float[] mask = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double d = Math.hypot((x - cx) / rx, (y - cy) / ry); // 0 at the centre, 1 on the edge
        double weight = Math.max(0, Math.min(1, (1.2 - d) / 0.4)); // soft edge
        image[y * w + x] *= (float) (1 - darkening * weight);
        mask[y * w + x] = (float) weight; // values in [0, 1]
      }
    }
    return new SynthesizedSample(GrayImage.of(w, h, image), GrayImage.of(w, h, mask));
  }
}
// end::example[]
