package io.github.mediclip.clip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.mediclip.internal.PyTorchEngines;
import io.github.mediclip.internal.clip.HuggingFaceWeights;
import io.github.mediclip.internal.clip.SafetensorsReader;
import io.github.mediclip.internal.clip.TorchScriptWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loading of {@link ClipModel}, apart from its forward code: reading a model folder (configuration
 * from {@code open_clip_config.json}, {@code config.json} or the tensor shapes; open_clip, Hugging
 * Face or OpenAI TorchScript weights), checking the tensors against the configuration, and copying
 * them into the model's capped manager at the requested device, precision and image size. Does the
 * work of {@link ClipModel.Loader}, whose options it reads.
 */
final class ClipModelLoading {

  private ClipModelLoading() {}

  /** See {@link ClipModel#readConfig(Path)}. */
  static ClipConfig readConfig(Path folder) {
    Objects.requireNonNull(folder, "folder");
    if (!Files.isDirectory(folder)) {
      throw new ClipWeightsException(
          "CLIP model folder " + folder + " does not exist or is not a folder");
    }
    Path openClipJson = folder.resolve(ClipWeights.CONFIG_FILE);
    if (Files.isRegularFile(openClipJson)) {
      return ClipConfig.fromOpenClipJson(openClipJson);
    }
    Path hfJson = folder.resolve("config.json");
    if (Files.isRegularFile(hfJson)) {
      return ClipConfig.fromHuggingFaceConfig(hfJson);
    }
    List<Path> safetensors = listFiles(folder, ".safetensors");
    if (!safetensors.isEmpty()) {
      List<Path> files = pickSafetensors(safetensors);
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (Path f : files) {
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
          for (String name : r.names()) {
            shapes.put(name, r.shape(name));
          }
        }
      }
      if (HuggingFaceWeights.isHuggingFace(shapes.keySet())) {
        throw new ClipWeightsException(
            "CLIP model folder "
                + folder
                + " holds Hugging Face weights but no "
                + "config.json (or open_clip_config.json) to say the architecture; add the config.json that "
                + "comes with them");
      }
      return TorchScriptWeights.inferConfig(
          shapes, files.size() == 1 ? files.get(0).toString() : files.toString());
    }
    List<Path> pts = listFiles(folder, ".pt");
    if (pts.size() > 1) {
      throw new ClipWeightsException(
          "CLIP model folder " + folder + " has several .pt files " + pts + "; keep one");
    }
    if (pts.size() == 1) {
      try (NDManager staging = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        TorchScriptWeights.readParameters(pts.get(0), staging)
            .forEach((k, a) -> shapes.put(k, a.getShape().getShape()));
        return TorchScriptWeights.inferConfig(shapes, pts.get(0).toString());
      }
    }
    throw new ClipWeightsException(
        "CLIP model folder "
            + folder
            + " has no "
            + ClipWeights.CONFIG_FILE
            + " or config.json and no weights to infer the architecture from: expected "
            + ClipWeights.WEIGHTS_FILE
            + " (or another *.safetensors) or an OpenAI *.pt archive");
  }

  /** See {@link ClipModel.Loader#load(Path)}. */
  static ClipModel load(ClipModel.Loader opts, Path folder) {
    Objects.requireNonNull(folder, "folder");
    if (!Files.isDirectory(folder)) {
      throw new ClipWeightsException(
          "CLIP model folder " + folder + " does not exist or is not a folder");
    }
    List<Path> safetensors = listFiles(folder, ".safetensors");
    List<Path> pts = listFiles(folder, ".pt");
    ClipConfig cfg = null;
    Path openClipJson = folder.resolve(ClipWeights.CONFIG_FILE);
    Path hfJson = folder.resolve("config.json");
    if (Files.isRegularFile(openClipJson)) {
      cfg = ClipConfig.fromOpenClipJson(openClipJson);
    } else if (Files.isRegularFile(hfJson)) {
      cfg = ClipConfig.fromHuggingFaceConfig(hfJson);
    }
    ClipTokenizer tok =
        opts.tokenizer != null
            ? opts.tokenizer
            : ClipTokenizer.existsIn(folder) ? ClipTokenizer.load(folder) : null;
    Device dev = device(opts);
    if (!safetensors.isEmpty()) {
      List<Path> files = pickSafetensors(safetensors);
      String source = files.size() == 1 ? files.get(0).toString() : files.toString();
      List<SafetensorsReader> readers = new ArrayList<>();
      try {
        Map<String, SafetensorsReader> byName = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Path f : files) {
          SafetensorsReader r = SafetensorsReader.open(f);
          readers.add(r);
          for (String name : r.names()) {
            if (byName.put(name, r) != null) {
              throw new ClipWeightsException(
                  "tensor '"
                      + name
                      + "' appears in more than one"
                      + " safetensors file of "
                      + folder
                      + ": "
                      + files);
            }
            shapes.put(name, r.shape(name));
          }
        }
        if (HuggingFaceWeights.isHuggingFace(shapes.keySet())) {
          if (cfg == null) {
            throw new ClipWeightsException(
                "CLIP model folder "
                    + folder
                    + " holds Hugging Face "
                    + "weights but no config.json (or open_clip_config.json) to say the architecture");
          }
          // The name mapping needs arrays (q/k/v concatenation, transposes): stage them on CPU.
          try (NDManager staging = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Map<String, NDArray> hf = new LinkedHashMap<>();
            for (Map.Entry<String, SafetensorsReader> e : byName.entrySet()) {
              hf.put(e.getKey(), readFloat(e.getValue(), e.getKey(), staging));
            }
            Map<String, NDArray> tensors = HuggingFaceWeights.toOpenClip(cfg, hf, staging, source);
            validateAndFix(opts, cfg, tensors, source);
            ClipConfig run = opts.imageSize > 0 ? cfg.withImageSize(opts.imageSize) : cfg;
            return build(opts, run, copyFrom(tensors, dev), dev, tok, files);
          }
        }
        if (cfg == null) {
          cfg = TorchScriptWeights.inferConfig(shapes, source);
        }
        // open_clip names: validate from the headers, then read every tensor straight into the
        // model's manager (no staging copy: peak memory stays near the model size).
        validateShapes(opts, cfg, shapes, source);
        ClipConfig run = opts.imageSize > 0 ? cfg.withImageSize(opts.imageSize) : cfg;
        return build(
            opts,
            run,
            (name, m) -> {
              SafetensorsReader r = byName.get(name);
              return r == null ? null : readFloat(r, name, m);
            },
            dev,
            tok,
            files);
      } finally {
        readers.forEach(SafetensorsReader::close);
      }
    }
    if (!pts.isEmpty()) {
      if (pts.size() > 1) {
        throw new ClipWeightsException(
            "CLIP model folder " + folder + " has several .pt files " + pts + "; keep one");
      }
      try (NDManager staging = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
        Map<String, NDArray> tensors = TorchScriptWeights.read(pts.get(0), cfg, staging);
        if (cfg == null) {
          cfg = TorchScriptWeights.inferConfig(tensors);
        }
        validateAndFix(opts, cfg, tensors, pts.get(0).toString());
        ClipConfig run = opts.imageSize > 0 ? cfg.withImageSize(opts.imageSize) : cfg;
        return build(opts, run, copyFrom(tensors, dev), dev, tok, pts);
      }
    }
    throw new ClipWeightsException(
        "CLIP model folder "
            + folder
            + " has no weights: expected "
            + ClipWeights.WEIGHTS_FILE
            + " (or another *.safetensors) or an OpenAI *.pt archive");
  }

  private static NDArray readFloat(SafetensorsReader r, String name, NDManager m) {
    DataType stored = SafetensorsReader.toDataType(r.dtype(name));
    return r.read(name, m, ClipWeights.isFloating(stored) ? DataType.FLOAT32 : null);
  }

  /** See {@link ClipModel.Loader#fromWeights}. */
  static ClipModel fromWeights(
      ClipModel.Loader opts, ClipConfig config, Map<String, NDArray> tensors) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tensors, "tensors");
    ClipConfig run = opts.imageSize > 0 ? config.withImageSize(opts.imageSize) : config;
    validateAndFix(opts, run, tensors, "given to fromWeights");
    Device dev = device(opts);
    return build(opts, run, copyFrom(tensors, dev), dev, opts.tokenizer, List.of());
  }

  /** See {@link ClipModel.Loader#fromWeightsTakingOwnership}. */
  static ClipModel fromWeightsTakingOwnership(
      ClipModel.Loader opts, ClipConfig config, Map<String, NDArray> tensors) {
    Objects.requireNonNull(tensors, "tensors");
    try {
      Objects.requireNonNull(config, "config");
      ClipConfig run = opts.imageSize > 0 ? config.withImageSize(opts.imageSize) : config;
      validateAndFix(opts, run, tensors, "given to fromWeightsTakingOwnership");
      Device dev = device(opts);
      TensorSource copy = copyFrom(tensors, dev);
      // An array given under several names is closed only at the end, once every copy is made.
      Map<NDArray, Integer> uses = new IdentityHashMap<>();
      tensors.values().forEach(a -> uses.merge(a, 1, Integer::sum));
      return build(
          opts,
          run,
          (name, owner) -> {
            NDArray c = copy.take(name, owner);
            NDArray source = tensors.get(name);
            if (c != null && uses.get(source) == 1) {
              source.close(); // the copy is made: free the caller's array now
            }
            return c;
          },
          dev,
          opts.tokenizer,
          List.of());
    } finally {
      for (NDArray a : tensors.values()) {
        if (a != null && !a.isReleased()) {
          a.close();
        }
      }
    }
  }

  private static void validateAndFix(
      ClipModel.Loader opts, ClipConfig cfg, Map<String, NDArray> tensors, String source) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((k, a) -> shapes.put(k, a.getShape().getShape()));
    validateShapes(opts, cfg, shapes, source);
  }

  private static void validateShapes(
      ClipModel.Loader opts, ClipConfig cfg, Map<String, long[]> shapes, String source) {
    ClipConfig target = opts.imageSize > 0 ? cfg.withImageSize(opts.imageSize) : cfg;
    ClipWeights.validate(target, shapes, source, opts.strict);
  }

  /** Gives a fresh array owned by a manager for a tensor name, or null when absent. */
  private interface TensorSource {
    NDArray take(String name, NDManager owner);
  }

  /**
   * Copies arrays of a map: a real copy (duplicate), since DJL's toDevice/toType(copy = true) alias
   * the caller's memory when nothing changes, and the caller may close its arrays afterwards.
   */
  private static TensorSource copyFrom(Map<String, NDArray> tensors, Device dev) {
    return (name, owner) -> {
      NDArray a = tensors.get(name);
      if (a == null) {
        return null;
      }
      NDArray c = a.getDevice().equals(dev) ? a.duplicate() : a.toDevice(dev, true);
      c.attach(owner);
      return c;
    };
  }

  private static Device device(ClipModel.Loader opts) {
    Engine engine = PyTorchEngines.get(); // a missing native library fails here, with what to add
    return opts.device != null ? opts.device : engine.defaultDevice();
  }

  private static ClipModel build(
      ClipModel.Loader opts,
      ClipConfig cfg,
      TensorSource src,
      Device dev,
      ClipTokenizer tok,
      List<Path> files) {
    NDManager m = NDManager.newBaseManager(dev, "PyTorch");
    try {
      Map<String, NDArray> w = new LinkedHashMap<>();
      Map<String, long[]> expected = ClipWeights.expectedShapes(cfg);
      for (String name : expected.keySet()) {
        NDArray c = src.take(name, m);
        if (c == null) { // only logit_scale may be absent (validated)
          c = m.create((float) Math.log(1 / 0.07)).toDevice(dev, false);
        }
        if (name.equals("visual.positional_embedding")
            && !Arrays.equals(c.getShape().getShape(), expected.get(name))) {
          NDArray r =
              ClipModel.resizePositionalEmbedding(c, cfg.vision().gridSize(), m)
                  .toDevice(dev, false);
          c.close();
          c = r;
        }
        if (c.getDataType() != opts.dataType) {
          NDArray t = c.toType(opts.dataType, false);
          c.close();
          c = t;
        }
        c.setRequiresGradient(false);
        c.setName(name);
        w.put(name, c);
      }
      return new ClipModel(cfg, m, opts.dataType, w, tok, files);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  private static List<Path> listFiles(Path folder, String suffix) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot list CLIP model folder " + folder + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> pickSafetensors(List<Path> files) {
    if (files.size() == 1) {
      return files;
    }
    for (String preferred : List.of(ClipWeights.WEIGHTS_FILE, "model.safetensors")) {
      for (Path p : files) {
        if (p.getFileName().toString().equals(preferred)) {
          return List.of(p);
        }
      }
    }
    return files; // shards
  }
}
