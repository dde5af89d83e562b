package io.github.mediclip.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code mediclip} command-line tool.
 *
 * <p>Conventions shared by every command: exit code {@value #EXIT_OK} on success, {@value
 * #EXIT_FAILURE} on a failure, {@value #EXIT_USAGE} on a usage error; a failure prints exactly one
 * line {@code mediclip: <reason>} on standard error (set the system property {@code
 * mediclip.debug=true} for the stack trace); machine-readable results are JSON lines on standard
 * output, progress goes to standard error.
 */
@Command(
    name = "mediclip",
    mixinStandardHelpOptions = true,
    versionProvider = MediClipCli.Version.class,
    description = "Few-shot medical image anomaly detection (MediCLIP) on the JVM.",
    subcommands = {
      InfoCommand.class,
      DemoCommand.class,
      InitBackboneCommand.class,
      TrainCommand.class,
      DetectCommand.class,
      EvaluateCommand.class,
      SweepCommand.class,
      SynthPreviewCommand.class,
      SynthStatsCommand.class,
      MetricsCommand.class,
      ParityCommand.class,
      InspectCommand.class,
      SparkScoreCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MediClipCli implements Runnable {
  /** Exit code of a successful run. */
  public static final int EXIT_OK = 0;

  /** Exit code of a run that failed (bad data, missing file, engine error). */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a usage error (unknown option, missing parameter, bad value). */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  /** Creates the root command; used by picocli. */
  public MediClipCli() {}

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  /**
   * Creates the command line with the tool's error handling: one line on standard error and exit
   * codes 1 (failure) / 2 (usage).
   *
   * @return a new picocli command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new MediClipCli());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("mediclip: " + oneLine(ex));
          if (Boolean.getBoolean("mediclip.debug")) {
            ex.printStackTrace(cmd.getErr());
          }
          cmd.getErr().flush();
          return ex instanceof CliException c ? c.exitCode() : EXIT_FAILURE;
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr()
              .println(
                  "mediclip: "
                      + oneLine(ex)
                      + " (see '"
                      + cmd.getCommandSpec().qualifiedName()
                      + " --help')");
          cmd.getErr().flush();
          return EXIT_USAGE;
        });
    return cl;
  }

  /**
   * Runs the tool in-process with the given writers (as the tests do) and returns the exit code.
   *
   * @param out standard output (JSON lines)
   * @param err standard error (progress, the one-line failure reason)
   * @param args command-line arguments
   * @return the exit code
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    configureRuntime();
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    int code = executeContained(cl, err, args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Runs the tool and exits the JVM with its exit code.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    configureRuntime();
    CommandLine cl = commandLine();
    System.exit(executeContained(cl, cl.getErr(), args));
  }

  /**
   * Runs the command; an {@link OutOfMemoryError} that escapes it (picocli passes {@code Error}s
   * through) becomes one line and exit code 1 instead of a stack trace.
   */
  private static int executeContained(CommandLine cl, PrintWriter err, String... args) {
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      err.println(
          "mediclip: out of memory ("
              + e.getMessage()
              + "); give Java more heap (java -Xmx8g -jar ...),"
              + " or use smaller images, --image-size or --batch-size");
      err.flush();
      return EXIT_FAILURE;
    }
  }

  /** Headless AWT, DJL offline, and quiet logging unless the user asked otherwise. */
  static void configureRuntime() {
    setIfAbsent("java.awt.headless", "true");
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("offline", "true");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // DJL warns on every start of a machine whose CUDA driver cannot run its CUDA runtime; the CPU
    // is used then.
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** The exception's message on one line, with the innermost useful cause. */
  static String oneLine(Throwable ex) {
    Throwable t = ex;
    // our I/O messages name the file and say what is wrong; the wrapper classes add nothing
    while (t instanceof java.io.UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof java.io.IOException
        && !(t instanceof java.nio.file.FileSystemException)
        && t.getMessage() != null
        && t.getMessage().startsWith("cannot ")) {
      return t.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
    if (t instanceof java.nio.file.FileSystemException fse) {
      return (fse.getClass()
                  .getSimpleName()
                  .replace("Exception", "")
                  .replaceAll("([a-z])([A-Z])", "$1 $2")
                  .toLowerCase(Locale.ROOT)
              + ": "
              + fse.getMessage())
          .replaceAll("\\s*[\\r\\n]+\\s*", " ")
          .trim();
    }
    String msg = t.getMessage();
    while ((msg == null || msg.isBlank()) && t.getCause() != null) {
      t = t.getCause();
      msg = t.getMessage();
    }
    if (msg == null || msg.isBlank()) {
      msg = t.getClass().getSimpleName();
    } else if (!(t instanceof CliException)
        && !(t instanceof ParameterException)
        && !(t instanceof IllegalArgumentException)) {
      msg = t.getClass().getSimpleName() + ": " + msg;
    }
    return msg.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /** Prints the library version (from the build, never hard-coded). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {String.format(Locale.ROOT, "mediclip %s", VersionInfo.libraryVersion())};
    }
  }
}
