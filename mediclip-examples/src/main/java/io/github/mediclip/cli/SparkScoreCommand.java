package io.github.mediclip.cli;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code mediclip spark-score}: hands its arguments to the Spark job of {@code mediclip-spark}
 * ({@code io.github.mediclip.spark.SparkScoreJob}), which parses them, so the job reads the same
 * options under {@code spark-submit} and here. Spark is not bundled with the tool (a cluster brings
 * its own), so the job is reached reflectively and this command fails with one line when Spark is
 * not on the class path.
 */
@Command(
    name = "spark-score",
    description = {
      "Scores a folder or glob of images on Apache Spark with one detector per executor JVM "
          + "and prints one JSON summary line (see 'mediclip spark-score --help' and docs/spark.md). "
          + "Needs Spark 4.x on the class path."
    })
final class SparkScoreCommand implements Callable<Integer> {
  static final String JOB = "io.github.mediclip.spark.SparkScoreJob";
  static final String OPTIONS = "io.github.mediclip.spark.internal.JobOptions";

  @Spec CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (args.contains("--help") || args.contains("-h")) {
      out.println(Class.forName(OPTIONS).getField("USAGE").get(null));
      out.flush();
      return MediClipCli.EXIT_OK;
    }
    try {
      Class.forName("org.apache.spark.sql.SparkSession");
    } catch (ClassNotFoundException e) {
      throw new CliException(
          "spark-score needs Apache Spark 4.x (Scala 2.13) on the class path: submit "
              + "mediclip-spark-job.jar with spark-submit --class "
              + JOB
              + ", or start the tool with "
              + "Spark's jars (java -cp \"mediclip.jar:$SPARK_HOME/jars/*\" io.github.mediclip.cli.MediClipCli "
              + "spark-score ...); see docs/spark.md");
    }
    try {
      return (Integer)
          Class.forName(JOB)
              .getMethod("run", String[].class, PrintWriter.class, PrintWriter.class)
              .invoke(null, args.toArray(new String[0]), out, err);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }
}
