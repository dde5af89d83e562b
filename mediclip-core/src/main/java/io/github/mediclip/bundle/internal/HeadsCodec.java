package io.github.mediclip.bundle.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.mediclip.MediClipException;
import io.github.mediclip.internal.clip.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The heads file of a bundle, {@code heads.safetensors}: written with {@link SafetensorsWriter},
 * read strictly. Reading accepts exactly the tensors the heads configuration defines, each float32
 * (F32) with the expected shape, in non-overlapping byte ranges; a duplicate key, a wrong dtype, a
 * wrong shape, overlapping or out-of-range offsets, or a missing or extra tensor is refused with
 * the tensor's name.
 */
public final class HeadsCodec {

  private HeadsCodec() {}

  /**
   * Encodes head parameters (float32) as safetensors bytes.
   *
   * @param params name to array
   * @return the file content
   */
  public static byte[] encode(Map<String, NDArray> params) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      SafetensorsWriter.write(out, params, Map.of("format", "pt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The number of data bytes heads with these shapes occupy.
   *
   * @param expected name to shape
   * @return bytes (float32)
   */
  public static long dataBytes(Map<String, Shape> expected) {
    long n = 0;
    for (Shape s : expected.values()) {
      n = Math.addExact(n, Math.multiplyExact(s.size(), 4L));
    }
    return n;
  }

  private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

  /**
   * Decodes and validates heads.
   *
   * @param bytes the file content
   * @param where the file, named in errors
   * @param expected name to shape, as the heads configuration defines them
   * @return name to float32 values (row-major), in the order of {@code expected}
   * @throws MediClipException naming the file and tensor on any mismatch
   */
  public static Map<String, float[]> decode(
      byte[] bytes, String where, Map<String, Shape> expected) {
    if (bytes.length < 8) {
      throw new MediClipException(where + " is truncated (" + bytes.length + " bytes)");
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = bb.getLong(0);
    long maxHeader = BundleLimits.maxHeadsHeaderBytes();
    if (headerLen < 2 || headerLen > bytes.length - 8L || headerLen > maxHeader) {
      throw new MediClipException(
          where
              + ": header length "
              + Long.toUnsignedString(headerLen)
              + " is out of range (file "
              + bytes.length
              + " bytes, limit "
              + maxHeader
              + ", system property "
              + BundleLimits.MAX_HEADS_HEADER_BYTES
              + ")");
    }
    String json = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
    long dataStart = 8 + headerLen;
    long dataLen = bytes.length - dataStart;
    List<Entry> entries = parseHeader(json, where);

    TreeSet<String> missing = new TreeSet<>(expected.keySet());
    TreeSet<String> unexpected = new TreeSet<>();
    for (Entry e : entries) {
      if (!missing.remove(e.name)) {
        unexpected.add(e.name);
      }
    }
    if (!unexpected.isEmpty()) {
      throw new MediClipException(
          where
              + ": unexpected tensor '"
              + unexpected.first()
              + "' (this configuration has "
              + expected.keySet()
              + ")");
    }
    if (!missing.isEmpty()) {
      throw new MediClipException(where + ": tensor '" + missing.first() + "' is missing");
    }
    for (Entry e : entries) {
      String t = where + ", tensor '" + e.name + "'";
      if (!"F32".equals(e.dtype)) {
        throw new MediClipException(t + ": dtype " + e.dtype + ", expected F32");
      }
      Shape want = expected.get(e.name);
      if (!Arrays.equals(want.getShape(), e.shape)) {
        throw new MediClipException(
            t
                + ": shape "
                + Arrays.toString(e.shape)
                + ", expected "
                + Arrays.toString(want.getShape()));
      }
      if (e.begin < 0 || e.end < e.begin || e.end > dataLen) {
        throw new MediClipException(
            t
                + ": data_offsets ["
                + e.begin
                + ", "
                + e.end
                + "] outside the data section ("
                + dataLen
                + " bytes)");
      }
      if (e.end - e.begin != want.size() * 4) {
        throw new MediClipException(
            t
                + ": "
                + (e.end - e.begin)
                + " bytes, but shape "
                + Arrays.toString(e.shape)
                + " of F32 needs "
                + want.size() * 4);
      }
    }
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    for (int i = 1; i < byOffset.size(); i++) {
      Entry a = byOffset.get(i - 1);
      Entry b = byOffset.get(i);
      if (b.begin < a.end) {
        throw new MediClipException(
            where
                + ", tensor '"
                + b.name
                + "': data_offsets ["
                + b.begin
                + ", "
                + b.end
                + "] overlap those of tensor '"
                + a.name
                + "' ["
                + a.begin
                + ", "
                + a.end
                + "]");
      }
    }
    Map<String, Entry> byName = new LinkedHashMap<>();
    entries.forEach(e -> byName.put(e.name, e));
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : expected.keySet()) {
      Entry e = byName.get(name);
      float[] v = new float[(int) ((e.end - e.begin) / 4)];
      ByteBuffer slice =
          ByteBuffer.wrap(bytes, (int) (dataStart + e.begin), (int) (e.end - e.begin))
              .slice()
              .order(ByteOrder.LITTLE_ENDIAN);
      slice.asFloatBuffer().get(v);
      out.put(name, v);
    }
    return out;
  }

  /** Streams the header so that a duplicate key is seen (a JSON object would keep only one). */
  private static List<Entry> parseHeader(String json, String where) {
    List<Entry> out = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    try (JsonReader r = new JsonReader(new StringReader(json))) {
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        if (!seen.add(name)) {
          throw new MediClipException(where + ": tensor '" + name + "' is listed twice");
        }
        if ("__metadata__".equals(name)) {
          JsonParser.parseReader(r);
          continue;
        }
        out.add(entry(r, name, where));
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new MediClipException(where + ": trailing data after the header");
      }
    } catch (MediClipException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new MediClipException(
          where + ": malformed safetensors header (" + ManifestParser.firstLine(e) + ")", e);
    }
    return out;
  }

  private static Entry entry(JsonReader r, String name, String where) throws IOException {
    String dtype = null;
    long[] shape = null;
    long[] offsets = null;
    r.beginObject();
    while (r.hasNext()) {
      String k = r.nextName();
      switch (k) {
        case "dtype" -> dtype = r.nextString();
        case "shape" -> shape = longs(r);
        case "data_offsets" -> offsets = longs(r);
        default -> r.skipValue();
      }
    }
    r.endObject();
    String t = where + ", tensor '" + name + "'";
    if (dtype == null || shape == null || offsets == null || offsets.length != 2) {
      throw new MediClipException(t + ": needs dtype, shape and two data_offsets");
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] longs(JsonReader r) throws IOException {
    List<Long> l = new ArrayList<>();
    r.beginArray();
    while (r.hasNext()) {
      l.add(r.nextLong());
      if (l.size() > 16) {
        throw new IOException("more than 16 values in a shape or offset list");
      }
    }
    r.endArray();
    return l.stream().mapToLong(Long::longValue).toArray();
  }
}
