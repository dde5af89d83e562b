package io.github.mediclip.cli;

import io.github.mediclip.synth.GrayImage;
import java.util.SplittableRandom;

/** In-memory phantom "brain slices" (ellipse, cortex ring, smooth texture) for synthesizer measurements. */
final class Phantoms {
    private Phantoms() {}

    static GrayImage slice(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double cx = size * (0.5 + 0.04 * (r.nextDouble() - 0.5));
        double cy = size * (0.5 + 0.04 * (r.nextDouble() - 0.5));
        double ax = size * (0.34 + 0.04 * r.nextDouble());
        double ay = size * (0.40 + 0.04 * r.nextDouble());
        double[] fx = {r.nextDouble() * 6 + 2, r.nextDouble() * 6 + 2};
        double[] ph = {r.nextDouble() * 6.3, r.nextDouble() * 6.3};
        float[] v = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = (x - cx) / ax;
                double dy = (y - cy) / ay;
                double d = Math.sqrt(dx * dx + dy * dy);
                double value;
                if (d > 1.0) {
                    value = 8;
                } else if (d > 0.9) {
                    value = 200; // skull / cortex ring
                } else {
                    double tex = Math.sin(fx[0] * Math.PI * x / size + ph[0]) * Math.cos(fx[1] * Math.PI * y / size
                            + ph[1]);
                    value = 110 + 30 * tex + 25 * (1 - d);
                }
                v[y * size + x] = (float) (value + 4 * r.nextGaussian());
            }
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, Math.min(255f, v[i]));
        }
        return GrayImage.of(size, size, v);
    }
}
