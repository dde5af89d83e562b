package io.github.mediclip.internal.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.clip.ClipModel;
import io.github.mediclip.clip.ClipWeights;
import io.github.mediclip.clip.ClipWeightsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI TorchScript import. No PyTorch (Python) is available to the build, so the test writes
 * TorchScript archives itself ({@link ArchiveWriter}: the zip layout, TorchScript class source and
 * pickle records that {@code torch.jit.save} produces for a module tree of parameters, with
 * half-precision storages as in OpenAI's files) and reads them back through libtorch's own loader.
 */
public class TorchScriptWeightsTest {

  @TempDir Path tmp;

  /** A tiny OpenAI-style architecture: head width 64 (OpenAI's rule), QuickGELU. */
  static final ClipConfig TINY =
      new ClipConfig(
          16,
          new ClipConfig.VisionConfig(16, 2, 64, 64, 8, 4.0),
          new ClipConfig.TextConfig(8, 50, 64, 1, 1),
          true);

  /** Values k / 256, exactly representable in half precision. */
  public static Map<String, float[]> values(ClipConfig cfg, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ClipWeights.expectedShapes(cfg).entrySet()) {
      float[] v = new float[(int) new Shape(e.getValue()).size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextInt(-512, 513) / 256f;
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  public static Map<String, long[]> shapes(ClipConfig cfg) {
    return ClipWeights.expectedShapes(cfg);
  }

  @Test
  void readsEveryParameterOfAHalfPrecisionArchiveExactly() throws IOException {
    Map<String, float[]> values = values(TINY, 1);
    Path pt = tmp.resolve("tiny.pt");
    ArchiveWriter.write(pt, shapes(TINY), values);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> p = TorchScriptWeights.readParameters(pt, m);
      assertThat(p.keySet()).containsExactlyInAnyOrderElementsOf(values.keySet());
      for (Map.Entry<String, float[]> e : values.entrySet()) {
        NDArray a = p.get(e.getKey());
        assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(a.getShape().getShape()).as(e.getKey()).isEqualTo(shapes(TINY).get(e.getKey()));
        assertThat(a.toFloatArray()).as(e.getKey()).containsExactly(e.getValue());
        assertThat(a.getName()).isEqualTo(e.getKey());
      }
      // the architecture follows from the shapes, as OpenAI's build_model derives it
      Map<String, NDArray> read = TorchScriptWeights.read(pt, null, m);
      assertThat(TorchScriptWeights.inferConfig(read)).isEqualTo(TINY);
    }
  }

  @Test
  void float32ArchivesAreReadIntoArraysThatOutliveTheModule() throws IOException {
    Map<String, float[]> values = values(TINY, 4);
    values.put("visual.proj", new float[64 * 16]);
    values.get("visual.proj")[5] =
        1.0e-30f; // below half precision: survives only in a float32 storage
    Path pt = tmp.resolve("tiny-fp32.pt");
    ArchiveWriter.write(pt, shapes(TINY), values, false);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Map<String, NDArray> p = TorchScriptWeights.readParameters(pt, m);
      System.gc();
      for (Map.Entry<String, float[]> e : values.entrySet()) {
        assertThat(p.get(e.getKey()).toFloatArray()).as(e.getKey()).containsExactly(e.getValue());
      }
    }
  }

  @Test
  void modelFolderWithAnOpenAiArchiveLoadsLikeTheSameWeightsGivenDirectly() throws IOException {
    Map<String, float[]> values = values(TINY, 2);
    Path folder = Files.createDirectories(tmp.resolve("ViT-tiny"));
    ArchiveWriter.write(folder.resolve("ViT-tiny.pt"), shapes(TINY), values);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        ClipModel fromPt = ClipModel.load(folder, Device.cpu())) {
      Map<String, NDArray> direct = new LinkedHashMap<>();
      values.forEach((k, v) -> direct.put(k, m.create(v, new Shape(shapes(TINY).get(k)))));
      try (ClipModel fromMap = ClipModel.fromWeights(TINY, direct, Device.cpu())) {
        assertThat(fromPt.config()).isEqualTo(TINY);
        NDArray images = m.randomNormal(new Shape(2, 3, 16, 16));
        ClipModel.VisionOutput a = fromPt.encodeImage(images, 1, 2);
        ClipModel.VisionOutput b = fromMap.encodeImage(images, 1, 2);
        assertThat(a.pooled().toFloatArray()).containsExactly(b.pooled().toFloatArray());
        assertThat(a.layers().get(0).toFloatArray())
            .containsExactly(b.layers().get(0).toFloatArray());
      }
    }
  }

  @Test
  void missingUnexpectedAndMisShapedParametersAreListedInOneError() throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>(shapes(TINY));
    Map<String, float[]> values = values(TINY, 3);
    shapes.remove("visual.ln_post.bias");
    values.remove("visual.ln_post.bias");
    shapes.put("visual.attnpool.k_proj.weight", new long[] {2, 2});
    values.put("visual.attnpool.k_proj.weight", new float[4]);
    shapes.put("ln_final.weight", new long[] {63});
    values.put("ln_final.weight", new float[63]);
    Path pt = tmp.resolve("broken.pt");
    ArchiveWriter.write(pt, shapes, values);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertThatThrownBy(() -> TorchScriptWeights.read(pt, TINY, m))
          .isInstanceOf(ClipWeightsException.class)
          .hasMessageContaining(pt.toString())
          .hasMessageContaining("1 missing: visual.ln_post.bias [64]")
          .hasMessageContaining("1 unexpected: visual.attnpool.k_proj.weight [2, 2]")
          .hasMessageContaining("1 mis-shaped: ln_final.weight has shape [63], expected [64]");
    }
  }

  @Test
  void filesThatAreNotTorchScriptGiveAnErrorNamingTheFile() throws IOException {
    // torch.save(state_dict) writes a zip with data.pkl but no TorchScript code: it must not be
    // unpickled.
    Path stateDict = tmp.resolve("state_dict.pt");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(stateDict))) {
      ArchiveWriter.stored(z, "archive/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'});
      ArchiveWriter.stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    Path garbage = tmp.resolve("garbage.pt");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      for (Path bad : List.of(stateDict, garbage)) {
        assertThatThrownBy(() -> TorchScriptWeights.readParameters(bad, m))
            .isInstanceOf(ClipWeightsException.class)
            .hasMessageStartingWith(
                "cannot read " + bad + " as a TorchScript archive (OpenAI CLIP .pt): ")
            .hasMessageEndingWith(
                "Plain torch.save() pickles are not read (nothing is unpickled);"
                    + " convert such a file to safetensors, see docs/weights.md");
      }
      Path missing = tmp.resolve("missing.pt");
      assertThatThrownBy(() -> TorchScriptWeights.readParameters(missing, m))
          .isInstanceOf(ClipWeightsException.class)
          .hasMessage("TorchScript archive " + missing + " does not exist or is not a file");
    }
  }

  @Test
  void inferConfigNamesTheTensorItNeeds() {
    Map<String, long[]> shapes = new LinkedHashMap<>(shapes(TINY));
    shapes.remove("ln_final.weight");
    assertThatThrownBy(() -> TorchScriptWeights.inferConfig(shapes, "x.pt"))
        .isInstanceOf(ClipWeightsException.class)
        .hasMessage(
            "OpenAI CLIP weights x.pt have no tensor 'ln_final.weight', which is needed to infer the"
                + " architecture");
    assertThat(
            TorchScriptWeights.inferConfig(
                ClipWeights.expectedShapes(ClipConfig.preset("ViT-L-14")), "l"))
        .isEqualTo(ClipConfig.preset("ViT-L-14"));
    assertThat(
            TorchScriptWeights.inferConfig(
                ClipWeights.expectedShapes(ClipConfig.preset("ViT-B-16")), "b"))
        .isEqualTo(ClipConfig.preset("ViT-B-16"));
  }

  /**
   * Writes a TorchScript archive as {@code torch.jit.save} lays it out: {@code archive/data.pkl}
   * (pickle protocol 2 of the module object tree, tensors as {@code
   * torch._utils._rebuild_tensor_v2} with persistent storage ids), {@code
   * archive/code/__torch__.py} (one TorchScript class per module, attributes annotated), {@code
   * archive/constants.pkl}, {@code archive/version} and one {@code archive/data/N} record per
   * storage (half precision, little endian). Only parameters, no methods.
   */
  public static final class ArchiveWriter {

    private static final class Node {
      final Map<String, String> params = new LinkedHashMap<>(); // attribute -> full tensor name
      final Map<String, Node> children = new LinkedHashMap<>();
      String cls;
    }

    public static void write(Path file, Map<String, long[]> shapes, Map<String, float[]> values)
        throws IOException {
      write(file, shapes, values, true);
    }

    public static void write(
        Path file, Map<String, long[]> shapes, Map<String, float[]> values, boolean half)
        throws IOException {
      Node root = new Node();
      for (String name : shapes.keySet()) {
        String[] parts = name.split("\\.");
        Node n = root;
        for (int i = 0; i < parts.length - 1; i++) {
          n = n.children.computeIfAbsent(parts[i], k -> new Node());
        }
        n.params.put(parts[parts.length - 1], name);
      }
      List<Node> order = new ArrayList<>();
      assign(root, order, new int[1]);
      StringBuilder code = new StringBuilder();
      for (Node n : order) {
        code.append("class ").append(n.cls).append("(Module):\n  __parameters__ = [");
        n.params.keySet().forEach(p -> code.append('"').append(p).append("\", "));
        code.append("]\n  __buffers__ = []\n");
        n.params.keySet().forEach(p -> code.append("  ").append(p).append(" : Tensor\n"));
        code.append("  training : bool\n");
        n.children.forEach(
            (c, ch) -> {
              if (c.chars().allMatch(Character::isDigit)) {
                code.append("  __annotations__[\"")
                    .append(c)
                    .append("\"] = __torch__.")
                    .append(ch.cls)
                    .append('\n');
              } else {
                code.append("  ").append(c).append(" : __torch__.").append(ch.cls).append('\n');
              }
            });
        code.append('\n');
      }
      ByteArrayOutputStream pkl = new ByteArrayOutputStream();
      pkl.write(0x80);
      pkl.write(2);
      List<byte[]> storages = new ArrayList<>();
      module(pkl, root, shapes, values, storages, half);
      pkl.write('.');
      try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
        stored(z, "archive/data.pkl", pkl.toByteArray());
        stored(z, "archive/code/__torch__.py", code.toString().getBytes(StandardCharsets.UTF_8));
        stored(z, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < storages.size(); i++) {
          stored(z, "archive/data/" + i, storages.get(i));
        }
      }
    }

    private static void assign(Node n, List<Node> order, int[] counter) {
      n.cls = "M" + counter[0]++;
      n.children.values().forEach(c -> assign(c, order, counter));
      order.add(n);
    }

    static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
      ZipEntry e = new ZipEntry(name);
      e.setMethod(ZipEntry.STORED);
      e.setSize(data.length);
      CRC32 crc = new CRC32();
      crc.update(data);
      e.setCrc(crc.getValue());
      z.putNextEntry(e);
      z.write(data);
      z.closeEntry();
    }

    private static void module(
        ByteArrayOutputStream out,
        Node n,
        Map<String, long[]> shapes,
        Map<String, float[]> values,
        List<byte[]> storages,
        boolean half)
        throws IOException {
      out.write(("c__torch__\n" + n.cls + "\n").getBytes(StandardCharsets.US_ASCII));
      out.write(')'); // EMPTY_TUPLE
      out.write(0x81); // NEWOBJ
      out.write('}'); // EMPTY_DICT
      out.write('('); // MARK
      str(out, "training");
      out.write(0x89); // NEWFALSE
      for (Map.Entry<String, String> p : n.params.entrySet()) {
        str(out, p.getKey());
        tensor(out, shapes.get(p.getValue()), values.get(p.getValue()), storages, half);
      }
      for (Map.Entry<String, Node> c : n.children.entrySet()) {
        str(out, c.getKey());
        module(out, c.getValue(), shapes, values, storages, half);
      }
      out.write('u'); // SETITEMS
      out.write('b'); // BUILD
    }

    private static void tensor(
        ByteArrayOutputStream out, long[] shape, float[] v, List<byte[]> storages, boolean half)
        throws IOException {
      String key = Integer.toString(storages.size());
      ByteBuffer buf =
          ByteBuffer.allocate((half ? 2 : 4) * v.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        if (half) {
          buf.putShort(half(f));
        } else {
          buf.putFloat(f);
        }
      }
      storages.add(buf.array());
      out.write("ctorch._utils\n_rebuild_tensor_v2\n".getBytes(StandardCharsets.US_ASCII));
      out.write('(');
      out.write('(');
      str(out, "storage");
      out.write(
          ("ctorch\n" + (half ? "HalfStorage" : "FloatStorage") + "\n")
              .getBytes(StandardCharsets.US_ASCII));
      str(out, key);
      str(out, "cpu");
      integer(out, v.length);
      out.write('t');
      out.write('Q'); // BINPERSID
      integer(out, 0); // storage offset
      out.write('(');
      for (long d : shape) {
        integer(out, (int) d);
      }
      out.write('t');
      out.write('(');
      long stride = 1;
      long[] strides = new long[shape.length];
      for (int i = shape.length - 1; i >= 0; i--) {
        strides[i] = stride;
        stride *= shape[i];
      }
      for (long s : strides) {
        integer(out, (int) s);
      }
      out.write('t');
      out.write(0x89); // requires_grad False
      out.write("ccollections\nOrderedDict\n".getBytes(StandardCharsets.US_ASCII));
      out.write(')');
      out.write('R');
      out.write('t');
      out.write('R');
    }

    private static void str(OutputStream out, String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      out.write(b);
    }

    private static void integer(OutputStream out, int v) throws IOException {
      out.write('J');
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /** float → IEEE half, for values that half represents exactly (normal numbers and zero). */
    static short half(float f) {
      int bits = Float.floatToIntBits(f);
      int sign = (bits >>> 16) & 0x8000;
      if ((bits & 0x7fffffff) == 0) {
        return (short) sign;
      }
      int exp = ((bits >>> 23) & 0xff) - 127 + 15;
      int mant = bits & 0x7fffff;
      if (exp <= 0 || exp >= 31 || (mant & 0x1fff) != 0) {
        throw new IllegalArgumentException(f + " is not exactly representable as a normal half");
      }
      return (short) (sign | (exp << 10) | (mant >>> 13));
    }
  }
}
