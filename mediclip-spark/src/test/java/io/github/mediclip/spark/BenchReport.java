package io.github.mediclip.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The table of {@code .ci/spark-cluster-check bench}: reads, for each round {@code R} and mode
 * {@code M} of the bench folder, {@code R-M.json} (the single loop's or the job's JSON line),
 * {@code R-M.cpu.json} ({@code .ci/spark-bench-cpu.py}), {@code R-M.events/} (Spark's event log)
 * and {@code R.uptime}, and prints two Markdown tables: throughput, and where the CPU went.
 *
 * <p>Definitions. <i>steady</i>: the single loop's rate (its detector load is outside the loop);
 * for a Spark mode, images / (job seconds − slowest detector load), so the job's start (listing,
 * planning, task shipping, each executor's first-use class loading and JIT) stays in. <i>executors'
 * steady</i>: from the event log, per executor, the images of all tasks but its first (the warm-up:
 * detector load, class loading, JIT) over the time from the end of its first task to the end of its
 * last, summed over executors. <i>compute-thread CPU s / image</i>: the CPU time of the thread that
 * decodes and calls libtorch (with one torch thread, all of libtorch's work): the single loop's
 * thread, or Spark's task threads after the warm-up task (Executor CPU Time); with two torch
 * threads the second thread's share is not in it. <i>all JVMs' CPU</i>: every JVM of the run, over
 * the whole run (start, load, scoring; {@code .ci/spark-bench-cpu.py}).
 */
final class BenchReport {

  private static final String[] MODES = {
    "single2", "single1", "single1x2", "local1", "local1x1", "local2", "cluster"
  };
  private static final Map<String, String> LABEL =
      Map.of(
          "single2", "single JVM, 2 torch threads",
          "single1", "single JVM, 1 torch thread",
          "single1x2", "two single JVMs at once, 1 torch thread each",
          "local1", "`local[1]`, 1 task × 2 threads",
          "local1x1", "`local[1]`, 1 task × 1 thread",
          "local2", "`local[2]`, 2 tasks × 1 thread",
          "cluster", "standalone, 2 executors × 1 task × 1 thread");

  private BenchReport() {}

  static void print(Path dir, PrintStream out) throws IOException {
    TreeMap<Integer, String> uptimes = new TreeMap<>();
    try (Stream<Path> st = Files.list(dir)) {
      for (Path p : (Iterable<Path>) st::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(".uptime")) {
          uptimes.put(
              Integer.parseInt(n.substring(0, n.indexOf('.'))),
              Files.readString(p, StandardCharsets.UTF_8).trim());
        }
      }
    }
    out.println();
    out.println(
        "| round | mode | images | end-to-end img/s | detector load s | steady img/s"
            + " | steady vs single 2-thread | executors' steady img/s"
            + " | compute-thread CPU s / image | all JVMs' CPU s / image (whole run)"
            + " | machine busy cores (others') |");
    out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    List<String> cpuRows = new ArrayList<>();
    List<String> taskRows = new ArrayList<>();
    for (int r : uptimes.keySet()) {
      Double single = null;
      for (String m : MODES) {
        Path json = dir.resolve(r + "-" + m + ".json");
        if (!Files.exists(json)) {
          continue;
        }
        List<String> lines = Files.readAllLines(json, StandardCharsets.UTF_8);
        String lastLine = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
        if (!lastLine.startsWith("{")) {
          out.printf(
              Locale.ROOT, "| %d | %s | failed or timed out | | | | | | | | |%n", r, LABEL.get(m));
          continue;
        }
        JsonObject j = JsonParser.parseString(lastLine).getAsJsonObject();
        JsonObject cpu = readJson(dir.resolve(r + "-" + m + ".cpu.json"));
        long images = j.get("images").getAsLong();
        boolean isSingle = m.startsWith("single");
        double load =
            isSingle
                ? j.get("load_seconds").getAsDouble()
                : j.get("max_detector_load_seconds").getAsDouble();
        double steady =
            isSingle
                ? j.get("images_per_s").getAsDouble()
                : images / (j.get("seconds").getAsDouble() - load);
        if (m.equals("single2")) {
          single = steady;
        }
        String endToEnd =
            isSingle
                ? "—"
                : String.format(
                    Locale.ROOT,
                    "%.3f (%.1f s)",
                    j.get("images_per_s").getAsDouble(),
                    j.get("seconds").getAsDouble());
        Executors ex =
            isSingle
                ? new Executors(
                    "—",
                    String.format(
                        Locale.ROOT,
                        "%.3f",
                        j.get("loop_thread_cpu_seconds").getAsDouble() / images),
                    "")
                : executors(dir.resolve(r + "-" + m + ".events"));
        String cpuPerImage =
            cpu == null ? "—" : String.format(Locale.ROOT, "%.3f", sum(cpu, "cpu_s") / images);
        out.printf(
            Locale.ROOT,
            "| %d | %s | %d | %s | %.1f | %.3f | %s | %s | %s | %s | %s |%n",
            r,
            LABEL.get(m),
            images,
            endToEnd,
            load,
            steady,
            single == null ? "—" : String.format(Locale.ROOT, "%.2f", steady / single),
            ex.steadyRate(),
            ex.cpuPerImage(),
            cpuPerImage,
            cpu == null
                ? "—"
                : String.format(
                    Locale.ROOT,
                    "%.2f (%.2f)",
                    cpu.get("machine_busy_cores").getAsDouble(),
                    cpu.get("others_busy_cores").getAsDouble()));
        if (cpu != null) {
          cpuRows.add(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | %s | %s | %s | %s |",
                  r,
                  LABEL.get(m),
                  pairs(cpu.getAsJsonObject("cpu_s")),
                  pairs(cpu.getAsJsonObject("cpu_s_by_thread_kind")),
                  String.join(", ", strings(cpu.get("top_threads"))),
                  String.join(" ", strings(cpu.get("threads_per_process")))));
        }
        if (!ex.detail().isEmpty()) {
          taskRows.add(
              String.format(Locale.ROOT, "| %d | %s | %s |", r, LABEL.get(m), ex.detail()));
        }
      }
    }
    out.println();
    out.println("| round | mode | tasks per executor (event log) |");
    out.println("| --- | --- | --- |");
    taskRows.forEach(out::println);
    out.println();
    out.println(
        "| round | mode | CPU s by JVM (whole run) | CPU s by thread kind (daemons excluded)"
            + " | top threads (CPU s) | threads per JVM (max) |");
    out.println("| --- | --- | --- | --- | --- | --- |");
    cpuRows.forEach(out::println);
    out.println();
    for (Map.Entry<Integer, String> e : uptimes.entrySet()) {
      out.println("round " + e.getKey() + " `uptime` before: " + e.getValue());
    }
  }

  /** One finished task of the event log. */
  private record Task(long launch, long finish, long records, long cpuNanos, long gcMillis) {}

  /** The executor figures of one Spark run, from its event log. */
  private record Executors(String steadyRate, String cpuPerImage, String detail) {}

  /**
   * From the event log's task-end events, per executor: the tasks launched before its first task
   * ended are the warm-up (one per task slot: the detector load, first-use class loading and JIT);
   * the executor's steady rate is the images of its other tasks over (its last task end − the first
   * launch among them), summed over executors; the task threads' CPU per image is Σ Executor CPU
   * Time / Σ records over those other tasks.
   */
  private static Executors executors(Path eventDir) throws IOException {
    if (!Files.isDirectory(eventDir)) {
      return new Executors("—", "—", "");
    }
    Map<String, List<Task>> exec = new TreeMap<>();
    // Spark 4 writes a folder per application (eventlog_v2_*) holding the event files
    try (Stream<Path> files = Files.walk(eventDir)) {
      Stream<Path> logs =
          files.filter(
              f -> {
                String n = f.getFileName().toString();
                return Files.isRegularFile(f) && !n.startsWith(".") && !n.startsWith("appstatus");
              });
      for (Path f : (Iterable<Path>) logs::iterator) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.contains("\"SparkListenerTaskEnd\"")) {
            continue;
          }
          JsonObject ev = JsonParser.parseString(line).getAsJsonObject();
          JsonObject info = ev.getAsJsonObject("Task Info");
          JsonObject metrics = ev.getAsJsonObject("Task Metrics");
          if (metrics == null) {
            continue;
          }
          long records = metrics.getAsJsonObject("Input Metrics").get("Records Read").getAsLong();
          if (records == 0) {
            continue;
          }
          exec.computeIfAbsent(info.get("Executor ID").getAsString(), k -> new ArrayList<>())
              .add(
                  new Task(
                      info.get("Launch Time").getAsLong(),
                      info.get("Finish Time").getAsLong(),
                      records,
                      metrics.get("Executor CPU Time").getAsLong(),
                      metrics.get("JVM GC Time").getAsLong()));
        }
      }
    }
    double rate = 0;
    long steadyRecords = 0;
    long steadyCpu = 0;
    boolean allSteady = true;
    StringBuilder detail = new StringBuilder();
    for (Map.Entry<String, List<Task>> e : exec.entrySet()) {
      List<Task> tasks = e.getValue();
      // warm-up: the tasks that started with the executor, i.e. before its first task ended (one
      // per
      // task slot; one of them loaded the detector, all ran cold code); 1 s of slack because the
      // driver records a task's end a little after it launched the next one
      long firstFinish = tasks.stream().mapToLong(Task::finish).min().getAsLong();
      long firstLaunch = tasks.stream().mapToLong(Task::launch).min().getAsLong();
      long records = 0;
      long gc = 0;
      long warmRecords = 0;
      int warm = 0;
      long steadyStart = Long.MAX_VALUE;
      long lastFinish = Long.MIN_VALUE;
      for (Task t : tasks) {
        gc += t.gcMillis();
        lastFinish = Math.max(lastFinish, t.finish());
        if (t.launch() < firstFinish - 1000) {
          warm++;
          warmRecords += t.records();
        } else {
          records += t.records();
          steadyCpu += t.cpuNanos();
          steadyStart = Math.min(steadyStart, t.launch());
        }
      }
      steadyRecords += records;
      if (records == 0) {
        allSteady = false;
      } else {
        rate += records / ((lastFinish - steadyStart) / 1000.0);
      }
      detail.append(
          String.format(
              Locale.ROOT,
              "%sexec %s: %d tasks; warm-up %d task(s), %d img, %.1f s; then %d img in %.1f s;"
                  + " GC %.1f s",
              detail.length() == 0 ? "" : "; ",
              e.getKey(),
              tasks.size(),
              warm,
              warmRecords,
              (firstFinish - firstLaunch) / 1000.0,
              records,
              records == 0 ? 0.0 : (lastFinish - steadyStart) / 1000.0,
              gc / 1000.0));
    }
    return new Executors(
        allSteady && !exec.isEmpty() ? String.format(Locale.ROOT, "%.3f", rate) : "—",
        steadyRecords > 0
            ? String.format(Locale.ROOT, "%.3f", steadyCpu / 1e9 / steadyRecords)
            : "—",
        detail.toString());
  }

  private static JsonObject readJson(Path p) throws IOException {
    if (!Files.exists(p)) {
      return null;
    }
    return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  private static double sum(JsonObject cpu, String field) {
    double s = 0;
    if (cpu != null) {
      for (Map.Entry<String, JsonElement> e : cpu.getAsJsonObject(field).entrySet()) {
        s += e.getValue().getAsDouble();
      }
    }
    return s;
  }

  private static String pairs(JsonObject o) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      out.add(e.getKey() + " " + e.getValue().getAsString());
    }
    return String.join(", ", out);
  }

  private static List<String> strings(JsonElement array) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : array.getAsJsonArray()) {
      out.add(e.getAsString());
    }
    return out;
  }
}
