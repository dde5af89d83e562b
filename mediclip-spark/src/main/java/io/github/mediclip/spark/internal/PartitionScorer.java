package io.github.mediclip.spark.internal;

import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.synth.GrayImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Scores one partition: reads up to {@code batchSize} rows, decodes each image (a failure becomes
 * that row's error), scores the decoded ones in one forward pass with the executor's shared
 * detector, and emits every input row with the output columns appended. A record never fails the
 * task: a decode or scoring failure gives null scores and a one-line reason; the error accumulator
 * counts it.
 */
public final class PartitionScorer implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  /** How the input column is read. */
  public enum InputKind {
    /** File contents ({@code binaryFile}'s {@code content}). */
    BYTES,
    /** A path or URI, read through Hadoop's file systems on the executor. */
    PATH
  }

  private final DetectorSpec spec;
  private final int inputIndex;
  private final InputKind kind;
  private final int pathIndex;
  private final int batchSize;
  private final String overlayDir;
  private final LongAccumulator images;
  private final LongAccumulator errors;
  private final CollectionAccumulator<String> loads;

  /**
   * Creates the function (on the driver; it is serialised into every task).
   *
   * @param spec what detector to use
   * @param inputIndex index of the input column
   * @param kind how to read the input column
   * @param pathIndex index of a string column naming the image (for messages and overlay names), or
   *     -1
   * @param batchSize images per forward pass, at least 1
   * @param overlayDir folder for overlay PNGs, or {@code null} for none
   * @param images counts every row
   * @param errors counts rows with an error
   * @param loads receives one record per detector load
   */
  public PartitionScorer(
      DetectorSpec spec,
      int inputIndex,
      InputKind kind,
      int pathIndex,
      int batchSize,
      String overlayDir,
      LongAccumulator images,
      LongAccumulator errors,
      CollectionAccumulator<String> loads) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.spec = spec;
    this.inputIndex = inputIndex;
    this.kind = kind;
    this.pathIndex = pathIndex;
    this.batchSize = batchSize;
    this.overlayDir = overlayDir;
    this.images = images;
    this.errors = errors;
    this.loads = loads;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      private final List<Row> out = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < out.size()) {
          return true;
        }
        out.clear();
        next = 0;
        if (!input.hasNext()) {
          return false;
        }
        List<Row> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && input.hasNext()) {
          batch.add(input.next());
        }
        out.addAll(scoreBatch(batch));
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.get(next++);
      }
    };
  }

  private List<Row> scoreBatch(List<Row> batch) {
    int n = batch.size();
    String[] names = new String[n];
    GrayImage[] decoded = new GrayImage[n];
    String[] error = new String[n];
    List<GrayImage> ok = new ArrayList<>(n);
    List<Integer> okIndex = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Row r = batch.get(i);
      names[i] = name(r);
      try {
        decoded[i] = decode(r, names[i]);
        ok.add(decoded[i]);
        okIndex.add(i);
      } catch (RuntimeException e) {
        error[i] = oneLine(e);
      }
    }
    Prediction[] pred = new Prediction[n];
    if (!ok.isEmpty()) {
      MediClipDetector detector = DetectorCache.get(spec, loads::add);
      List<Prediction> ps;
      try {
        ps = detector.predictGray(ok);
      } catch (RuntimeException e) {
        ps = null; // one bad image must not cost the others their scores: retry one by one
      }
      for (int j = 0; j < okIndex.size(); j++) {
        int i = okIndex.get(j);
        if (ps != null) {
          pred[i] = ps.get(j);
        } else {
          try {
            pred[i] = detector.predictGray(List.of(ok.get(j))).get(0);
          } catch (RuntimeException e) {
            error[i] = "cannot score image " + names[i] + ": " + oneLine(e);
          }
        }
      }
    }
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String overlay = null;
      if (pred[i] != null && overlayDir != null) {
        try {
          overlay = writeOverlay(pred[i], decoded[i], names[i]);
        } catch (RuntimeException e) {
          error[i] = "scored, but " + oneLine(e);
        }
      }
      images.add(1);
      if (error[i] != null) {
        errors.add(1);
      }
      rows.add(toRow(batch.get(i), pred[i], overlay, error[i]));
    }
    return rows;
  }

  private Row toRow(Row in, Prediction p, String overlay, String error) {
    int width = in.length() + 3 + (overlayDir != null ? 1 : 0) + 1;
    Object[] v = new Object[width];
    int k = 0;
    for (int i = 0; i < in.length(); i++) {
      v[k++] = in.get(i);
    }
    v[k++] = p == null ? null : p.score();
    v[k++] = p == null ? null : p.normalizedScore();
    v[k++] = p == null ? null : (p.anomalous() ? 1 : 0);
    if (overlayDir != null) {
      v[k++] = overlay;
    }
    v[k] = error;
    return RowFactory.create(v);
  }

  private String name(Row r) {
    if (pathIndex >= 0 && !r.isNullAt(pathIndex)) {
      return r.getString(pathIndex);
    }
    if (kind == InputKind.PATH && !r.isNullAt(inputIndex)) {
      return r.getString(inputIndex);
    }
    return "(unnamed row)";
  }

  private GrayImage decode(Row r, String name) {
    if (r.isNullAt(inputIndex)) {
      throw new IllegalArgumentException(
          "cannot read image " + name + ": the input column is null");
    }
    byte[] bytes =
        kind == InputKind.BYTES ? (byte[]) r.get(inputIndex) : readPath(r.getString(inputIndex));
    return MediClipDetector.readImage(bytes, name);
  }

  private static byte[] readPath(String location) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
      FileSystem fs = p.getFileSystem(new Configuration());
      try (InputStream in = fs.open(p)) {
        return in.readAllBytes();
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          "cannot read image " + location + ": " + e.getMessage(),
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  private String writeOverlay(Prediction p, GrayImage image, String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    base = base.replaceAll("[^A-Za-z0-9._-]", "_");
    // the hash of the full name keeps equal file names from different folders apart
    Path target = Paths.get(overlayDir).resolve(base + "-" + shortHash(name) + ".png");
    p.writeOverlayPng(image.toBufferedImage(), target);
    return target.toString();
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return String.format(Locale.ROOT, "%02x%02x%02x%02x", d[0], d[1], d[2], d[3]);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The innermost useful message on one line (error rows are CSV/Parquet cells, not stack traces).
   */
  static String oneLine(Throwable e) {
    // an UncheckedIOException's own message is "java.io.IOException: <message>": take the cause's
    return Messages.oneLine(
        e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e);
  }
}
