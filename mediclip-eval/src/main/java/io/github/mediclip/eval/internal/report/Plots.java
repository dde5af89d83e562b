package io.github.mediclip.eval.internal.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Line plots of ROC and precision-recall curves drawn with Java2D (headless-safe), with axes,
 * ticks, labels and a legend. Curves with many points (pixel curves) are thinned to at most about
 * 4000 vertices before drawing; the thinning keeps every vertex that moves the curve by more than
 * 1/1000 of the axis range, so the picture is unchanged.
 */
public final class Plots {

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };

  private Plots() {}

  /**
   * One curve to draw.
   *
   * @param label legend text, e.g. {@code image AUROC 0.912}
   * @param x x coordinates in [0, 1]
   * @param y y coordinates in [0, 1]
   * @param step whether to draw as a step function (precision-recall) instead of straight segments
   */
  public record Series(String label, double[] x, double[] y, boolean step) {
    /**
     * Checks that x and y have the same length.
     *
     * @param label legend text, e.g. {@code image AUROC 0.912}
     * @param x x coordinates in [0, 1]
     * @param y y coordinates in [0, 1]
     * @param step whether to draw as a step function (precision-recall) instead of straight
     *     segments
     */
    public Series {
      Objects.requireNonNull(label, "label");
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            "series '" + label + "': x has " + x.length + " and y " + y.length + " points");
      }
    }
  }

  /**
   * Draws curves in the unit square.
   *
   * @param title plot title
   * @param xLabel x-axis label
   * @param yLabel y-axis label
   * @param series the curves
   * @param diagonal whether to draw the chance diagonal (ROC plots)
   * @param size width and height in pixels (at least 200)
   * @return an RGB image
   */
  public static BufferedImage plot(
      String title, String xLabel, String yLabel, List<Series> series, boolean diagonal, int size) {
    if (size < 200) {
      throw new IllegalArgumentException("size is " + size + "; plots need at least 200 pixels");
    }
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size, size);
      int left = 62;
      int right = 18;
      int top = 36;
      int bottom = 52;
      int w = size - left - right;
      int h = size - top - bottom;
      Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      g.setFont(font);
      FontMetrics fm = g.getFontMetrics();
      // grid and ticks
      for (int i = 0; i <= 5; i++) {
        double v = i / 5.0;
        int px = left + (int) Math.round(v * w);
        int py = top + h - (int) Math.round(v * h);
        g.setColor(new Color(0xE6E6E6));
        g.drawLine(px, top, px, top + h);
        g.drawLine(left, py, left + w, py);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(px, top + h, px, top + h + 4);
        g.drawLine(left - 4, py, left, py);
        String t = String.format(Locale.ROOT, "%.1f", v);
        g.drawString(t, px - fm.stringWidth(t) / 2, top + h + 6 + fm.getAscent());
        g.drawString(t, left - 8 - fm.stringWidth(t), py + fm.getAscent() / 2 - 1);
      }
      g.setColor(Color.BLACK);
      g.drawRect(left, top, w, h);
      // labels
      g.setFont(font.deriveFont(Font.BOLD, 14f));
      FontMetrics tf = g.getFontMetrics();
      g.drawString(title, left + (w - tf.stringWidth(title)) / 2, top - 12);
      g.setFont(font.deriveFont(13f));
      FontMetrics lf = g.getFontMetrics();
      g.drawString(xLabel, left + (w - lf.stringWidth(xLabel)) / 2, size - 12);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      g.drawString(yLabel, -(top + (h + lf.stringWidth(yLabel)) / 2), 18);
      g.setTransform(saved);
      if (diagonal) {
        g.setColor(Color.GRAY);
        g.setStroke(
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 5f}, 0f));
        g.drawLine(left, top + h, left + w, top);
      }
      // curves
      g.setStroke(new BasicStroke(2f));
      for (int s = 0; s < series.size(); s++) {
        Series ser = series.get(s);
        g.setColor(PALETTE[s % PALETTE.length]);
        double[][] pts = thin(ser.x(), ser.y(), 1e-3);
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < pts[0].length; i++) {
          double px = left + clamp(pts[0][i]) * w;
          double py = top + h - clamp(pts[1][i]) * h;
          if (i == 0) {
            path.moveTo(px, py);
          } else {
            if (ser.step()) {
              double prevY = top + h - clamp(pts[1][i - 1]) * h;
              path.lineTo(px, prevY);
            }
            path.lineTo(px, py);
          }
        }
        g.draw(path);
      }
      // legend
      g.setFont(font);
      int ly = top + h - 10 - series.size() * 18;
      for (int s = 0; s < series.size(); s++) {
        int yy = ly + s * 18 + 12;
        g.setColor(PALETTE[s % PALETTE.length]);
        g.fillRect(left + w - 170, yy - 6, 18, 4);
        g.setColor(Color.BLACK);
        g.drawString(series.get(s).label(), left + w - 146, yy);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }

  /**
   * Keeps the first, the last and every point farther than eps (max-norm) from the last kept one.
   */
  static double[][] thin(double[] x, double[] y, double eps) {
    if (x.length <= 4000) {
      return new double[][] {x, y};
    }
    List<double[]> kept = new ArrayList<>();
    double lx = x[0];
    double ly = y[0];
    kept.add(new double[] {lx, ly});
    for (int i = 1; i < x.length - 1; i++) {
      if (Math.abs(x[i] - lx) > eps || Math.abs(y[i] - ly) > eps) {
        lx = x[i];
        ly = y[i];
        kept.add(new double[] {lx, ly});
      }
    }
    kept.add(new double[] {x[x.length - 1], y[y.length - 1]});
    double[][] out = new double[2][kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      out[0][i] = kept.get(i)[0];
      out[1][i] = kept.get(i)[1];
    }
    return out;
  }
}
