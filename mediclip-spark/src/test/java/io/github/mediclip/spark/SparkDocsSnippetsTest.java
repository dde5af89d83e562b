package io.github.mediclip.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mediclip.eval.DocsSnippetsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the Java blocks of docs/spark.md against this module's test class path, which has Spark
 * on it (mediclip-eval's DocsSnippetsTest compiles every other document).
 */
class SparkDocsSnippetsTest {

  @Test
  void sparkDocJavaBlocksCompile(@TempDir Path tmp) throws Exception {
    Path doc = DocsSnippetsTest.repoRoot().resolve("docs/spark.md");
    Assumptions.assumeTrue(Files.isRegularFile(doc), "docs/spark.md not found");
    List<DocsSnippetsTest.Snippet> snippets = DocsSnippetsTest.compileAndRun(tmp, List.of(doc));
    assertThat(snippets).as("java blocks in docs/spark.md").isNotEmpty();
  }
}
