package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of docs/training.md and docs/api.md against the module's test
 * classpath (each block becomes the body of a method; its import lines go to the top of the file), and
 * runs the first block of training.md (the quick start with a random tiny backbone).
 */
class DocsSnippetsTest {

  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final List<String> DOCS = List.of("training.md", "api.md");

  static Path docsDir() {
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(base).toAbsolutePath().getParent().resolve("docs");
  }

  @Test
  void snippetsCompileAndTheQuickStartRuns(@TempDir Path tmp) throws Exception {
    Path docs = docsDir();
    Assumptions.assumeTrue(Files.isDirectory(docs), "docs folder not found at " + docs);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Assumptions.assumeTrue(javac != null, "no system Java compiler (a JRE, not a JDK)");
    List<Path> sources = new ArrayList<>();
    String firstClass = null;
    for (String doc : DOCS) {
      String md = Files.readString(docs.resolve(doc), StandardCharsets.UTF_8);
      Matcher m = BLOCK.matcher(md);
      int n = 0;
      while (m.find()) {
        String cls = "Snippet_" + doc.replace(".md", "") + "_" + (++n);
        if (firstClass == null) {
          firstClass = cls;
        }
        Path src = tmp.resolve("src/snippets/" + cls + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, wrap(cls, m.group(1)), StandardCharsets.UTF_8);
        sources.add(src);
      }
      assertThat(n).as("java blocks in " + doc).isPositive();
    }
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath(),
        "-proc:none", "-nowarn"));
    sources.forEach(s -> args.add(s.toString()));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, args.toArray(String[]::new));
    assertThat(errors.toString(StandardCharsets.UTF_8)).as("javac output").isEmpty();
    assertThat(rc).isZero();

    try (URLClassLoader cl =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> c = cl.loadClass("snippets." + firstClass);
      Method run = c.getDeclaredMethod("run");
      run.setAccessible(true);
      run.invoke(null);
    }
  }

  static String wrap(String cls, String body) {
    Set<String> imports = new LinkedHashSet<>();
    StringBuilder code = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      if (line.startsWith("import ")) {
        imports.add(line);
      } else {
        code.append("    ").append(line).append('\n');
      }
    }
    StringBuilder sb = new StringBuilder("package snippets;\n\n");
    imports.forEach(i -> sb.append(i).append('\n'));
    sb.append("\n@SuppressWarnings(\"unused\")\nfinal class ").append(cls).append(" {\n")
        .append("  static void run() throws Exception {\n").append(code).append("  }\n}\n");
    return sb.toString();
  }

  static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return cp;
  }
}
