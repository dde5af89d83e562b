package io.github.mediclip.internal.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.mediclip.clip.ClipWeightsException;
import io.github.mediclip.internal.Unmapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a <a href="https://github.com/huggingface/safetensors">safetensors</a> file tensor by
 * tensor from a memory-mapped file.
 *
 * <p>Only the byte range of the requested tensor is mapped, so files larger than 2 GiB load and
 * reading a model needs no Java heap for the tensor data (DJL's {@code NDList.decode} reads the
 * whole file into one {@code byte[]} and stops at 2 GiB). Supported dtypes: {@code F32, F16, BF16,
 * F64, I64, I32, I8, U8, BOOL}. The header is validated before anything is allocated: its length
 * against the file size (and a cap of {@value #MAX_HEADER_BYTES} bytes), every tensor's offsets
 * against the data section, and its byte length against its shape and dtype. Errors are {@link
 * ClipWeightsException}s naming the file and tensor.
 *
 * <p>Not thread-safe; one reader per thread.
 */
public final class SafetensorsReader implements AutoCloseable {

  /** Largest header accepted (100 MB), a guard against corrupt length fields. */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private record Entry(String dtype, long[] shape, long begin, long end) {}

  private SafetensorsReader(
      Path file,
      FileChannel channel,
      long dataStart,
      Map<String, Entry> entries,
      Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Opens a safetensors file and validates its header.
   *
   * @param file the file
   * @return the reader (close it)
   * @throws ClipWeightsException when the file is truncated or its header is corrupt
   * @throws UncheckedIOException when the file cannot be read
   */
  public static SafetensorsReader open(Path file) {
    Objects.requireNonNull(file, "file");
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open safetensors file " + file + ": " + e.getMessage(), e);
    }
    try {
      long size = ch.size();
      if (size < 8) {
        throw new ClipWeightsException(
            "safetensors file "
                + file
                + " is truncated: "
                + size
                + " bytes, less than the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen < 2 || headerLen > size - 8) {
        throw new ClipWeightsException(
            "safetensors file "
                + file
                + " is truncated or corrupt: header "
                + "length "
                + Long.toUnsignedString(headerLen)
                + " bytes but the file has only "
                + (size - 8)
                + " bytes after the length field");
      }
      if (headerLen > MAX_HEADER_BYTES) {
        throw new ClipWeightsException(
            "safetensors file "
                + file
                + ": header length "
                + headerLen
                + " bytes exceeds the limit of "
                + MAX_HEADER_BYTES
                + " bytes");
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
      readFully(ch, headerBuf, 8);
      String json = new String(headerBuf.array(), StandardCharsets.UTF_8);
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, Entry> entries = parseHeader(file, json, dataLen, metadata);
      return new SafetensorsReader(
          file,
          ch,
          dataStart,
          Collections.unmodifiableMap(entries),
          Collections.unmodifiableMap(metadata));
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException(
          "cannot read safetensors file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  /**
   * Returns the file this reader reads.
   *
   * @return the file this reader reads
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the tensor names, in header order.
   *
   * @return the tensor names, in header order
   */
  public Set<String> names() {
    return entries.keySet();
  }

  /**
   * Returns the {@code __metadata__} string map of the header (empty when absent).
   *
   * @return the {@code __metadata__} string map of the header (empty when absent)
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Returns a tensor's shape.
   *
   * @param name the tensor name
   * @return a copy of the shape ({@code []} for a scalar)
   * @throws IllegalArgumentException for an unknown name
   */
  public long[] shape(String name) {
    return entry(name).shape().clone();
  }

  /**
   * Returns a tensor's safetensors dtype ({@code F32}, {@code F16}, {@code BF16}, ...).
   *
   * @param name the tensor name
   * @return the dtype string
   */
  public String dtype(String name) {
    return entry(name).dtype();
  }

  /**
   * Reads a tensor in its stored dtype (BF16 as float32, see {@link #read(String, NDManager,
   * DataType)}) onto the device of {@code manager}.
   *
   * @param name the tensor name
   * @param manager the manager that will own the array (the data is copied; the file can be closed)
   * @return the array
   */
  public NDArray read(String name, NDManager manager) {
    return read(name, manager, null);
  }

  /**
   * Reads a tensor, converting it to {@code dataType} (for example F16/BF16 to {@code FLOAT32}),
   * onto the device of {@code manager}. Only the tensor's byte range is mapped; the result owns
   * native memory of its own. BF16 tensors are always widened to float32 (or converted on to {@code
   * dataType}): DJL 0.36's PyTorch engine cannot create bfloat16 arrays.
   *
   * @param name the tensor name
   * @param manager the manager that will own the array
   * @param dataType the wanted type, or {@code null} to keep the stored one
   * @return the array
   */
  public NDArray read(String name, NDManager manager, DataType dataType) {
    Objects.requireNonNull(manager, "manager");
    Entry e = entry(name);
    DataType stored = toDataType(e.dtype());
    DataType target =
        dataType == null ? (stored == DataType.BFLOAT16 ? DataType.FLOAT32 : stored) : dataType;
    Shape shape = new Shape(e.shape());
    if (shape.size() > Integer.MAX_VALUE) {
      throw new ClipWeightsException(
          "safetensors file "
              + file
              + ", tensor '"
              + name
              + "': "
              + shape.size()
              + " elements, more than one DJL array holds (2^31 - 1)");
    }
    long len = e.end() - e.begin();
    if (len == 0) {
      return manager.zeros(shape, target);
    }
    MappedByteBuffer buf;
    try {
      buf = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), len);
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "cannot map tensor '" + name + "' of safetensors file " + file + ": " + ex.getMessage(),
          ex);
    }
    buf.order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (stored == DataType.BFLOAT16) {
        return readBfloat16(name, buf, shape, target, manager);
      }
      // The array created from the mapped buffer shares its (read-only) memory; convert or copy it
      // into memory owned by libtorch, and free that array, before the mapping is released.
      try (NDManager tmp = manager.newSubManager(Device.cpu())) {
        NDArray mapped = tmp.create(buf, shape, stored);
        NDArray owned = target != stored ? mapped.toType(target, false) : mapped;
        if (!manager.getDevice().equals(Device.cpu())) {
          owned = owned.toDevice(manager.getDevice(), true);
        } else if (owned == mapped) {
          owned = mapped.duplicate();
        }
        owned.attach(manager);
        return owned;
      }
    } finally {
      Unmapper.unmap(buf);
    }
  }

  /**
   * DJL 0.36's PyTorch engine aborts the process when it creates a bfloat16 tensor, so bfloat16
   * data is widened to float32 here (exact: the bf16 bits are the upper half of the float32 bits),
   * in a direct buffer outside the Java heap.
   */
  private NDArray readBfloat16(
      String name, ByteBuffer src, Shape shape, DataType target, NDManager manager) {
    if (target == DataType.BFLOAT16) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' of safetensors file "
              + file
              + " is BF16, "
              + "which DJL's PyTorch engine cannot hold; read it as FLOAT32 or FLOAT16");
    }
    int count = Math.toIntExact(shape.size());
    ByteBuffer f32 = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
    for (int i = 0; i < count; i++) {
      f32.putInt((src.getShort() & 0xffff) << 16);
    }
    f32.flip();
    try (NDManager tmp = manager.newSubManager(Device.cpu())) {
      NDArray wide = tmp.create(f32, shape, DataType.FLOAT32);
      NDArray owned = target != DataType.FLOAT32 ? wide.toType(target, false) : wide.duplicate();
      if (!manager.getDevice().equals(Device.cpu())) {
        owned = owned.toDevice(manager.getDevice(), true);
      }
      owned.attach(manager);
      return owned;
    }
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  /**
   * Maps a safetensors dtype string to DJL's data type.
   *
   * @param dtype e.g. {@code F32}
   * @return the data type
   * @throws IllegalArgumentException for an unsupported dtype
   */
  public static DataType toDataType(String dtype) {
    switch (dtype) {
      case "F32":
        return DataType.FLOAT32;
      case "F16":
        return DataType.FLOAT16;
      case "BF16":
        return DataType.BFLOAT16;
      case "F64":
        return DataType.FLOAT64;
      case "I64":
        return DataType.INT64;
      case "I32":
        return DataType.INT32;
      case "I8":
        return DataType.INT8;
      case "U8":
        return DataType.UINT8;
      case "BOOL":
        return DataType.BOOLEAN;
      default:
        throw new IllegalArgumentException(
            "unsupported safetensors dtype '"
                + dtype
                + "'; supported: F32, F16, BF16, F64, I64, I32, I8, U8, BOOL");
    }
  }

  /** Returns the size in bytes of one element of a safetensors dtype. */
  static int dtypeSize(String dtype) {
    switch (dtype) {
      case "F64":
      case "I64":
        return 8;
      case "F32":
      case "I32":
        return 4;
      case "F16":
      case "BF16":
        return 2;
      default:
        return 1;
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Entry entry(String name) {
    Objects.requireNonNull(name, "name");
    Entry e = entries.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "safetensors file " + file + " has no tensor '" + name + "'");
    }
    return e;
  }

  private static Map<String, Entry> parseHeader(
      Path file, String json, long dataLen, Map<String, String> metadata) {
    JsonObject root;
    try {
      JsonElement el = JsonParser.parseString(json);
      if (!el.isJsonObject()) {
        throw new ClipWeightsException(
            "safetensors file " + file + ": header is not a JSON object");
      }
      root = el.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new ClipWeightsException(
          "safetensors file " + file + ": header is not valid JSON (" + e.getMessage() + ")", e);
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> me : root.entrySet()) {
      String name = me.getKey();
      if ("__metadata__".equals(name)) {
        if (me.getValue().isJsonObject()) {
          for (var m : me.getValue().getAsJsonObject().entrySet()) {
            metadata.put(
                m.getKey(),
                m.getValue().isJsonPrimitive()
                    ? m.getValue().getAsString()
                    : m.getValue().toString());
          }
        }
        continue;
      }
      String where = "safetensors file " + file + ", tensor '" + name + "'";
      try {
        JsonObject o = me.getValue().getAsJsonObject();
        String dtype = o.get("dtype").getAsString();
        try {
          toDataType(dtype);
        } catch (IllegalArgumentException ex) {
          throw new ClipWeightsException(where + ": " + ex.getMessage());
        }
        var shapeJson = o.get("shape").getAsJsonArray();
        long[] shape = new long[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeJson.get(i).getAsLong();
          if (shape[i] < 0) {
            throw new ClipWeightsException(where + ": negative dimension in shape " + shapeJson);
          }
          count = Math.multiplyExact(count, shape[i]);
        }
        var offsets = o.get("data_offsets").getAsJsonArray();
        if (offsets.size() != 2) {
          throw new ClipWeightsException(
              where + ": data_offsets must have two entries, got " + offsets);
        }
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (begin < 0 || end < begin || end > dataLen) {
          throw new ClipWeightsException(
              where
                  + ": data_offsets ["
                  + begin
                  + ", "
                  + end
                  + "] out of range of the data section ("
                  + dataLen
                  + " bytes); the file is "
                  + "truncated or corrupt");
        }
        long expected = Math.multiplyExact(count, dtypeSize(dtype));
        if (end - begin != expected) {
          throw new ClipWeightsException(
              where
                  + ": "
                  + (end - begin)
                  + " bytes in the file but shape "
                  + shapeJson
                  + " of "
                  + dtype
                  + " needs "
                  + expected
                  + " bytes");
        }
        entries.put(name, new Entry(dtype, shape, begin, end));
      } catch (ClipWeightsException ex) {
        throw ex;
      } catch (RuntimeException ex) { // missing fields, wrong JSON types, overflow
        throw new ClipWeightsException(
            where + ": malformed header entry " + me.getValue() + " (" + ex + ")", ex);
      }
    }
    return entries;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }
}
