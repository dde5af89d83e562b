/**
 * Scoring image archives on Apache Spark with one MediCLIP detector per executor JVM.
 *
 * <p>{@link io.github.mediclip.spark.MediClipScorer} is a Spark ML {@code Transformer} that scores
 * a column of image bytes ({@code binaryFile}) or paths and adds score, normalised score, label and
 * error columns; {@link io.github.mediclip.spark.SparkScoreJob} is the {@code spark-submit} main
 * class behind {@code mediclip spark-score}. See docs/spark.md.
 */
package io.github.mediclip.spark;
