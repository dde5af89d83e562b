package io.github.mediclip.eval;

import io.github.mediclip.eval.data.Dataset;
import io.github.mediclip.eval.data.ImageFiles;
import io.github.mediclip.train.LabeledImage;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fake detector for tests: it recognises each test image by its pixels and answers with the
 * ground-truth mask plus seeded noise (a good but imperfect detector), at the image's own
 * resolution.
 */
final class OracleScorer implements ImageScorer {

  private final Map<Integer, float[]> maps = new HashMap<>();
  private final Map<Integer, int[]> sizes = new HashMap<>();
  private final double noise;
  private final long seed;
  int calls;
  int batches;

  OracleScorer(Dataset dataset, double noise, long seed) {
    this.noise = noise;
    this.seed = seed;
    for (LabeledImage s : dataset.test()) {
      BufferedImage img = ImageFiles.read(s.file());
      int w = img.getWidth();
      int h = img.getHeight();
      float[] map = new float[w * h];
      if (s.maskFile() != null) {
        byte[] m = ImageFiles.readMask(s.maskFile(), w, h);
        for (int i = 0; i < map.length; i++) {
          map[i] = m[i];
        }
      }
      int key = Arrays.hashCode(ImageFiles.luminance(img));
      maps.put(key, map);
      sizes.put(key, new int[] {w, h});
    }
  }

  @Override
  public ScoredImage score(BufferedImage image) {
    calls++;
    float[] lum = ImageFiles.luminance(image);
    int key = Arrays.hashCode(lum);
    float[] truth = maps.get(key);
    int[] wh = sizes.get(key);
    SplittableRandom r = new SplittableRandom(seed ^ key);
    float[] map = new float[truth.length];
    double max = 0;
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) Math.min(1, Math.max(0, 0.7 * truth[i] + 0.15 + noise * r.nextGaussian()));
      max = Math.max(max, map[i]);
    }
    return ScoredImage.of(max, map, wh[0], wh[1]);
  }

  @Override
  public java.util.List<ScoredImage> scoreBatch(java.util.List<BufferedImage> images) {
    batches++;
    return ImageScorer.super.scoreBatch(images);
  }
}
