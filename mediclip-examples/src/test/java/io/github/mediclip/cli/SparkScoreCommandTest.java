package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code mediclip spark-score} from the tool, whose class path has no Spark (the job itself is
 * tested in mediclip-spark, in local mode and on a standalone cluster).
 */
class SparkScoreCommandTest {

  @Test
  void helpComesFromTheJobEvenWithoutSpark() {
    CliTestSupport.Result r = CliTestSupport.run("spark-score", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: mediclip spark-score [--master URL] --model BUNDLE");
  }

  @Test
  void withoutSparkOnTheClassPathItFailsOnOneLineSayingWhatToDo() {
    CliTestSupport.Result r =
        CliTestSupport.run("spark-score", "--model", "m.zip", "--input", "in", "--output", "out");
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_FAILURE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith(
            "mediclip: spark-score needs Apache Spark 4.x (Scala 2.13) on the class path:"
                + " submit mediclip-spark-job.jar with spark-submit --class io.github.mediclip.spark.SparkScoreJob");
  }
}
