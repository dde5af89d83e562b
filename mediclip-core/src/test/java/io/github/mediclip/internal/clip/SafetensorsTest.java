package io.github.mediclip.internal.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.clip.ClipWeightsException;
import io.github.mediclip.clip.testing.ClipFixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path tmp;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void roundTripsEveryDtypeAndMetadata() {
    Map<String, NDArray> t = new LinkedHashMap<>();
    float[] f = {1.5f, -2.25f, 3f, 0.125f, 7f, -0.5f};
    t.put("f32", manager.create(f, new Shape(2, 3)));
    t.put("f16", manager.create(f, new Shape(3, 2)).toType(DataType.FLOAT16, false));
    t.put("f64", manager.create(new double[] {Math.PI, -1e300}, new Shape(2)));
    t.put("i64", manager.create(new long[] {Long.MIN_VALUE, 5}, new Shape(2)));
    t.put("i32", manager.create(new int[] {-7, 49407}, new Shape(1, 2)));
    t.put("i8", manager.create(new byte[] {-128, 127}, new Shape(2)).toType(DataType.INT8, false));
    t.put(
        "u8",
        manager.create(new byte[] {(byte) 255, 1}, new Shape(2)).toType(DataType.UINT8, false));
    t.put("bool", manager.create(new boolean[] {true, false, true}, new Shape(3)));
    t.put("scalar", manager.create(4.5f));
    t.put("empty", manager.create(new float[0], new Shape(0, 4)));
    Path file = tmp.resolve("all.safetensors");
    SafetensorsWriter.write(file, t, Map.of("format", "pt"));

    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThat(r.names()).containsExactlyElementsOf(t.keySet());
      assertThat(r.metadata()).containsEntry("format", "pt");
      assertThat(r.shape("scalar")).isEmpty();
      for (String name : t.keySet()) {
        NDArray back = r.read(name, manager);
        assertThat(back.getDataType()).as(name).isEqualTo(t.get(name).getDataType());
        assertThat(back.getShape()).as(name).isEqualTo(t.get(name).getShape());
        assertThat(back.contentEquals(t.get(name))).as(name).isTrue();
      }
      // conversion on read: F16 / BF16 -> float32 (these values are exact in both)
      assertThat(r.read("f16", manager, DataType.FLOAT32).toFloatArray()).containsExactly(f);
    }
  }

  @Test
  void bfloat16IsWidenedToFloat32() throws IOException {
    // 1.5 = 0x3FC0, -2.25 = 0xC010 as bfloat16
    String header = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).putShort((short) 0x3FC0).putShort((short) 0xC010);
    Path file = tmp.resolve("bf16.safetensors");
    Files.write(file, b.array());
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThat(r.dtype("w")).isEqualTo("BF16");
      NDArray a = r.read("w", manager);
      assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(a.toFloatArray()).containsExactly(1.5f, -2.25f);
      assertThat(
              r.read("w", manager, DataType.FLOAT16).toType(DataType.FLOAT32, false).toFloatArray())
          .containsExactly(1.5f, -2.25f);
    }
  }

  @Test
  void readsFixtureTensorByTensor() {
    Path dir = ClipFixtures.fixtureDataOrSkip();
    try (SafetensorsReader r = SafetensorsReader.open(dir.resolve("inputs.safetensors"))) {
      assertThat(r.shape("images")).containsExactly(3, 3, 64, 64);
      NDArray images = r.read("images", manager);
      assertThat(images.getShape()).isEqualTo(new Shape(3, 3, 64, 64));
      assertThat(Double.isFinite(images.sum().getFloat())).isTrue();
    }
  }

  @Test
  void readsTensorBeyondTwoGibibytesFromSparseFile() throws IOException {
    // Header: a 2 GiB + 8 byte padding tensor (never read) followed by a small F32 tensor.
    long pad = (1L << 31) + 8;
    String header =
        "{\"pad\":{\"dtype\":\"U8\",\"shape\":["
            + pad
            + "],\"data_offsets\":[0,"
            + pad
            + "]},"
            + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":["
            + pad
            + ","
            + (pad + 8)
            + "]}}";
    Path file = tmp.resolve("big.safetensors");
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
      raf.write(len.array());
      raf.write(h);
      long dataStart = 8 + h.length;
      raf.setLength(dataStart + pad + 8); // sparse: no disk blocks for the padding
      raf.seek(dataStart + pad);
      ByteBuffer tail =
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(3.25f).putFloat(-1f);
      raf.write(tail.array());
    }
    assertThat(Files.size(file)).isGreaterThan(1L << 31);
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThat(r.read("tail", manager).toFloatArray()).containsExactly(3.25f, -1f);
      assertThatThrownBy(() -> r.read("pad", manager))
          .isInstanceOf(ClipWeightsException.class)
          .hasMessageContaining("tensor 'pad': 2147483656 elements, more than one DJL array holds");
    }
  }

  @Test
  void headerLengthBeyondFileIsRejectedBeforeAllocating() throws IOException {
    Path file = tmp.resolve("hdr.safetensors");
    ByteBuffer b =
        ByteBuffer.allocate(16)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(Long.MAX_VALUE - 3)
            .putLong(0);
    Files.write(file, b.array());
    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("header length " + (Long.MAX_VALUE - 3))
        .hasMessageContaining("only 8 bytes");
  }

  @Test
  void fileShorterThanLengthFieldIsRejected() throws IOException {
    Path file = tmp.resolve("tiny.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "safetensors file "
                + file
                + " is truncated: 3 bytes, less than the 8-byte header length");
  }

  @Test
  void truncatedDataSectionNamesTensor() throws IOException {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("a", manager.ones(new Shape(4)));
    t.put("visual.proj", manager.ones(new Shape(8, 4)));
    Path file = tmp.resolve("trunc.safetensors");
    SafetensorsWriter.write(file, t);
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 10));
    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining("safetensors file " + file + ", tensor 'visual.proj'")
        .hasMessageContaining(
            "data_offsets [16, 144] out of range of the data section (134 bytes)");
  }

  @Test
  void unknownDtypeAndSizeMismatchAreNamed() throws IOException {
    Path file =
        writeRaw(
            "dtype.safetensors",
            "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}",
            2);
    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining(
            "safetensors file " + file + ", tensor 'x': unsupported safetensors dtype 'F8_E4M3'");
    Path file2 =
        writeRaw(
            "size.safetensors",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,20]}}",
            20);
    assertThatThrownBy(() -> SafetensorsReader.open(file2))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "safetensors file "
                + file2
                + ", tensor 'w': 20 bytes in the file but shape [3,2] of F32"
                + " needs 24 bytes");
    Path file3 =
        writeRaw(
            "neg.safetensors",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}",
            8);
    assertThatThrownBy(() -> SafetensorsReader.open(file3))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining("tensor 'w': data_offsets [8, 4] out of range");
    Path file4 = writeRaw("json.safetensors", "{\"w\":{\"dtype\":", 0);
    assertThatThrownBy(() -> SafetensorsReader.open(file4))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessageContaining("safetensors file " + file4 + ": header is not valid JSON");
  }

  @Test
  void unknownTensorNameIsIllegalArgument() {
    Path file = tmp.resolve("one.safetensors");
    SafetensorsWriter.write(file, Map.of("a", manager.ones(new Shape(2))));
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThatThrownBy(() -> r.read("b", manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("safetensors file " + file + " has no tensor 'b'");
    }
  }

  @Test
  void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
    Path file = tmp.resolve("w.safetensors");
    SafetensorsWriter.write(file, Map.of("a", manager.ones(new Shape(2))));
    SafetensorsWriter.write(file, Map.of("b", manager.zeros(new Shape(3))));
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("w.safetensors");
    }
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThat(r.names()).containsExactly("b");
    }
  }

  private Path writeRaw(String name, String header, int dataBytes) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path file = tmp.resolve(name);
    Files.write(file, b.array());
    return file;
  }
}
