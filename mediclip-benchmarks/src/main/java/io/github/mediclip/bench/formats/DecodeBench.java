package io.github.mediclip.bench.formats;

import io.github.mediclip.formats.MedicalImages;
import io.github.mediclip.formats.MedicalVolume;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decode throughput (slices/s) of {@link MedicalImages#read} on the lgg-volumes DICOM series
 * (uncompressed explicit VR LE, RLE Lossless, JPEG 2000 Lossless) and a {@code .nii.gz}, side by
 * side with pydicom and nibabel on the same files ({@code
 * mediclip-benchmarks/python/decode_bench.py}). Rounds are interleaved: each round times every Java
 * case, then runs the Python script once for every case; the figure per round is the best of {@code
 * reps} reads, the reported figure the median over rounds. The load average is printed before and
 * after, since the machine is shared.
 *
 * <p>Run: {@code java -cp mediclip-benchmarks/target/mediclip-benchmarks-0.1.0-SNAPSHOT.jar
 * io.github.mediclip.bench.formats.DecodeBench [--data ../shared/data/lgg-volumes] [--rounds 5]
 * [--reps 5] [--warmup 40] [--python python3]}.
 */
public final class DecodeBench {

  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path data = Paths.get("../shared/data/lgg-volumes");
    int rounds = 5;
    int reps = 5;
    String python = "python3";
    int warmup = 40;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--data" -> data = Paths.get(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--python" -> python = args[i + 1];
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!Files.isDirectory(data.resolve("dicom"))) {
      throw new IllegalArgumentException(
          "no lgg-volumes at " + data.toAbsolutePath() + "; pass --data DIR");
    }
    Map<String, Path> cases = new LinkedHashMap<>();
    cases.put("dicom-explicit-le", data.resolve("dicom/TCGA_CS_4942_19970222"));
    cases.put("dicom-implicit-le", data.resolve("dicom/TCGA_CS_4943_20000902"));
    cases.put("dicom-rle", data.resolve("dicom/TCGA_CS_4944_20010208"));
    cases.put("dicom-jpeg2000", data.resolve("dicom/TCGA_CS_5396_20010302"));
    cases.put("nifti-nii.gz", data.resolve("nifti/TCGA_CS_4942_19970222.nii.gz"));
    Path script = Paths.get("mediclip-benchmarks/python/decode_bench.py");
    System.out.println("load before: " + loadAverage());
    System.out.printf(
        Locale.ROOT,
        "rounds %d, best of %d reads per round; Java %s%n",
        rounds,
        reps,
        System.getProperty("java.version"));
    // warm-up: the JIT needs some 30 reads before the converters run compiled (first reads are 3-4x
    // slower); Python's figures are steady after its own warm-up read
    long w0 = System.nanoTime();
    for (Path p : cases.values()) {
      for (int i = 0; i < warmup; i++) {
        MedicalImages.read(p);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up: %d reads per case, %.1f s%n",
        warmup,
        (System.nanoTime() - w0) / 1e9);
    Map<String, List<Double>> java = new LinkedHashMap<>();
    Map<String, List<Double>> py = new LinkedHashMap<>();
    Map<String, Integer> slices = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Path> c : cases.entrySet()) {
        double best = Double.POSITIVE_INFINITY;
        int n = 0;
        for (int i = 0; i < reps; i++) {
          long t0 = System.nanoTime();
          MedicalVolume v = MedicalImages.read(c.getValue());
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
          n = v.slices();
        }
        slices.put(c.getKey(), n);
        java.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(n / best);
      }
      if (Files.isRegularFile(script)) {
        List<String> cmd =
            new ArrayList<>(List.of(python, script.toString(), String.valueOf(reps)));
        cases.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && cases.containsKey(f[0])) {
              py.computeIfAbsent(f[0], k -> new ArrayList<>())
                  .add(Integer.parseInt(f[1]) / Double.parseDouble(f[2]));
            } else {
              System.out.println("python: " + line);
            }
          }
        }
        p.waitFor();
      }
    }
    System.out.println("load after: " + loadAverage());
    System.out.println();
    System.out.println(
        "| case | slices | mediclip slices/s | pydicom / nibabel slices/s | ratio |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (String k : cases.keySet()) {
      double j = median(java.get(k));
      List<Double> pl = py.get(k);
      double q = pl == null ? Double.NaN : median(pl);
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.0f | %s | %s |%n",
          k,
          slices.get(k),
          j,
          pl == null ? "n/a" : String.format(Locale.ROOT, "%.0f", q),
          pl == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", j / q));
    }
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
