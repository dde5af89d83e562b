package io.github.mediclip.eval.internal.report;

import io.github.mediclip.internal.Colormap;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * A grid of heat-map overlays, one row per case: image | anomaly map (jet colours blended 50/50
 * over the image) | ground truth (the image with the mask outline in green), with a caption above
 * each row.
 */
public final class OverlayGrid {

  private OverlayGrid() {}

  /**
   * One row of the grid. All arrays are row-major and {@code size * size}.
   *
   * @param caption text above the row (file name, label, score)
   * @param size side of each panel in pixels
   * @param image luminance 0..255
   * @param map anomaly map already scaled to [0, 1] for display
   * @param mask ground-truth mask (non-zero = anomalous), or {@code null} when there is none
   */
  public record Row(String caption, int size, float[] image, float[] map, byte[] mask) {
    /**
     * Checks the array sizes.
     *
     * @param caption text above the row (file name, label, score)
     * @param size side of each panel in pixels
     * @param image luminance 0..255
     * @param map anomaly map already scaled to [0, 1] for display
     * @param mask ground-truth mask (non-zero = anomalous), or {@code null} when there is none
     */
    public Row {
      Objects.requireNonNull(caption, "caption");
      int n = size * size;
      if (image.length != n || map.length != n || (mask != null && mask.length != n)) {
        throw new IllegalArgumentException(
            "row '" + caption + "': image, map and mask must have size * size = " + n + " entries");
      }
    }
  }

  /**
   * Renders the grid.
   *
   * @param rows the rows (all with the same panel size)
   * @return an RGB image
   */
  public static BufferedImage render(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to render");
    }
    int s = rows.get(0).size();
    int gap = 6;
    int caption = 20;
    int header = 22;
    int width = 3 * s + 4 * gap;
    int height = header + rows.size() * (caption + s + gap) + gap;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      String[] heads = {"image", "anomaly map", "ground truth"};
      for (int c = 0; c < 3; c++) {
        g.drawString(heads[c], gap + c * (s + gap) + 4, 16);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int y = header;
      for (Row row : rows) {
        if (row.size() != s) {
          throw new IllegalArgumentException(
              "row '"
                  + row.caption()
                  + "' has panel size "
                  + row.size()
                  + " but the first row has "
                  + s);
        }
        g.setColor(Color.BLACK);
        g.drawString(row.caption(), gap, y + 15);
        y += caption;
        g.drawImage(gray(row), gap, y, null);
        g.drawImage(heat(row), gap * 2 + s, y, null);
        g.drawImage(truth(row), gap * 3 + 2 * s, y, null);
        if (row.mask() == null) {
          g.setColor(Color.YELLOW);
          g.drawString("no mask", gap * 3 + 2 * s + 4, y + 14);
        }
        y += s + gap;
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static int grayRgb(float v) {
    int c = Math.max(0, Math.min(255, Math.round(v)));
    return (c << 16) | (c << 8) | c;
  }

  private static BufferedImage gray(Row row) {
    int s = row.size();
    BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < s * s; i++) {
      img.setRGB(i % s, i / s, grayRgb(row.image()[i]));
    }
    return img;
  }

  private static BufferedImage heat(Row row) {
    int s = row.size();
    BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < s * s; i++) {
      int jet = Colormap.jet(row.map()[i]);
      float gv = Math.max(0, Math.min(255, row.image()[i]));
      int r = Math.round(0.5f * ((jet >> 16) & 0xFF) + 0.5f * gv);
      int gg = Math.round(0.5f * ((jet >> 8) & 0xFF) + 0.5f * gv);
      int b = Math.round(0.5f * (jet & 0xFF) + 0.5f * gv);
      img.setRGB(i % s, i / s, (r << 16) | (gg << 8) | b);
    }
    return img;
  }

  private static BufferedImage truth(Row row) {
    int s = row.size();
    BufferedImage img = gray(row);
    byte[] m = row.mask();
    if (m == null) {
      return img;
    }
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int i = y * s + x;
        if (m[i] == 0) {
          continue;
        }
        boolean edge =
            x == 0
                || y == 0
                || x == s - 1
                || y == s - 1
                || m[i - 1] == 0
                || m[i + 1] == 0
                || m[i - s] == 0
                || m[i + s] == 0;
        if (edge) {
          img.setRGB(x, y, 0x00FF00);
        }
      }
    }
    return img;
  }
}
