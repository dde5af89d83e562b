package io.github.mediclip.internal.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import io.github.mediclip.internal.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes NDArrays to a safetensors file, atomically (a temporary file in the same folder, then a
 * move), tensor by tensor so that no more than one tensor's bytes are held at a time.
 */
public final class SafetensorsWriter {

  private SafetensorsWriter() {}

  /**
   * Writes tensors in map iteration order.
   *
   * @param file the target file (replaced if it exists)
   * @param tensors name to array; dtypes F32, F16, BF16, F64, I64, I32, I8, U8, BOOL
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, Map<String, NDArray> tensors) {
    write(file, tensors, Map.of());
  }

  /**
   * Writes tensors in map iteration order with a {@code __metadata__} string map.
   *
   * @param file the target file (replaced if it exists)
   * @param tensors name to array
   * @param metadata header metadata (may be empty)
   */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
    Objects.requireNonNull(file, "file");
    List<NDArray> order = new ArrayList<>();
    ByteBuffer head = header(tensors, metadata, order);
    try {
      AtomicFiles.writeChannel(
          file,
          ch -> {
            writeFully(ch, head);
            for (NDArray a : order) {
              if (a.getShape().size() == 0) {
                continue;
              }
              writeFully(ch, a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
          });
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException(
          "cannot write safetensors file " + file + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Writes tensors in map iteration order to a stream (the same bytes as {@link #write(Path, Map,
   * Map)} writes to a file); the stream is not closed.
   *
   * @param out the stream
   * @param tensors name to array
   * @param metadata header metadata (may be empty)
   * @throws IOException when the stream fails
   */
  public static void write(
      OutputStream out, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    Objects.requireNonNull(out, "out");
    List<NDArray> order = new ArrayList<>();
    ByteBuffer head = header(tensors, metadata, order);
    out.write(head.array(), 0, head.limit());
    for (NDArray a : order) {
      if (a.getShape().size() == 0) {
        continue;
      }
      ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      byte[] b = new byte[data.remaining()];
      data.get(b);
      out.write(b);
    }
  }

  private static ByteBuffer header(
      Map<String, NDArray> tensors, Map<String, String> metadata, List<NDArray> order) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", new LinkedHashMap<>(metadata));
    }
    long offset = 0;
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "tensor name");
      if ("__metadata__".equals(name)) {
        throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
      }
      NDArray a = Objects.requireNonNull(e.getValue(), () -> "tensor '" + name + "'");
      String dtype = toSafetensors(a.getDataType(), name);
      long bytes = a.getShape().size() * SafetensorsReader.dtypeSize(dtype);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", dtype);
      entry.put("shape", a.getShape().getShape());
      entry.put("data_offsets", new long[] {offset, offset + bytes});
      header.put(name, entry);
      offset += bytes;
      order.add(a);
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded =
        (json.length + 7) / 8 * 8; // align the data section to 8 bytes, padding with spaces
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    return head;
  }

  /**
   * Maps a DJL data type to the safetensors dtype string.
   *
   * @param type the data type
   * @param name the tensor name, for the error message
   * @return the dtype string
   */
  static String toSafetensors(DataType type, String name) {
    switch (type) {
      case FLOAT32:
        return "F32";
      case FLOAT16:
        return "F16";
      case BFLOAT16:
        return "BF16";
      case FLOAT64:
        return "F64";
      case INT64:
        return "I64";
      case INT32:
        return "I32";
      case INT8:
        return "I8";
      case UINT8:
        return "U8";
      case BOOLEAN:
        return "BOOL";
      default:
        throw new IllegalArgumentException(
            "tensor '" + name + "' has data type " + type + " which safetensors cannot store here");
    }
  }

  private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
