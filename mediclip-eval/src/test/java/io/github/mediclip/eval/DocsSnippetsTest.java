package io.github.mediclip.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of README.md and docs/*.md against this module's test class
 * path (core, eval, synth and synth's test kit), and runs the blocks marked runnable.
 *
 * <ul>
 *   <li>A block that declares a top-level type is compiled as its own source file; any other block
 *       becomes the body of a method. Its {@code import} lines go to the top of the file. The
 *       blocks of one document share a package, so a later block may use a type that an earlier one
 *       declares.
 *   <li>A block preceded by the line {@code <!-- snippet: run -->} is also run (method bodies
 *       only), in document order. Such blocks must need nothing but the library: no model folder,
 *       no data.
 * </ul>
 */
public class DocsSnippetsTest {

  private static final Pattern BLOCK =
      Pattern.compile("(<!-- snippet: run -->\\n)?```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TYPE =
      Pattern.compile(
          "^(?:public |final |abstract )*(?:class|interface|record|enum) (\\w+)",
          Pattern.MULTILINE);

  private static final Pattern PACKAGE =
      Pattern.compile("^package ([\\w.]+);\\n", Pattern.MULTILINE);

  /**
   * A compiled block: its class and whether it runs.
   *
   * @param doc the document's file name
   * @param index the block's 1-based index in the document
   * @param className the compiled class
   * @param run whether the block was run
   */
  public record Snippet(String doc, int index, String className, boolean run) {}

  /**
   * The repository root: the parent of the module folder the tests run in.
   *
   * @return the root
   */
  public static Path repoRoot() {
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(base).toAbsolutePath().getParent();
  }

  static List<Path> documents(Path root) throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyJavaBlockCompilesAndTheRunnableOnesRun(@TempDir Path tmp) throws Exception {
    Path root = repoRoot();
    Assumptions.assumeTrue(
        Files.isDirectory(root.resolve("docs")), "docs folder not found under " + root);
    // docs/spark.md needs Spark's class path, which this module does not have: mediclip-spark's
    // SparkDocsSnippetsTest compiles it with this same method.
    List<Path> docs =
        documents(root).stream()
            .filter(d -> !d.getFileName().toString().equals("spark.md"))
            .toList();
    List<Snippet> snippets = compileAndRun(tmp, docs);
    assertThat(snippets).as("java blocks in README.md and docs/").hasSizeGreaterThan(10);
    assertThat(snippets).as("runnable blocks").anyMatch(Snippet::run);
  }

  /**
   * Compiles every Java block of {@code docs} against the calling test's class path and runs the
   * blocks marked runnable (see the class comment). Reused by modules whose documents need more on
   * the class path.
   *
   * @param tmp an empty scratch folder
   * @param docs the Markdown documents
   * @return the compiled blocks
   * @throws Exception when a block does not compile or a runnable one fails
   */
  public static List<Snippet> compileAndRun(Path tmp, List<Path> docs) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Assumptions.assumeTrue(javac != null, "no system Java compiler (a JRE, not a JDK)");
    List<Path> sources = new ArrayList<>();
    List<Snippet> snippets = new ArrayList<>();
    for (Path doc : docs) {
      String name = doc.getFileName().toString().replace(".md", "").replaceAll("[^A-Za-z0-9]", "_");
      String pkg = "snippets." + name.toLowerCase(java.util.Locale.ROOT);
      Matcher m = BLOCK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
      int n = 0;
      while (m.find()) {
        n++;
        boolean run = m.group(1) != null;
        Split split = split(m.group(2));
        Matcher type = TYPE.matcher(split.code);
        String cls;
        String source;
        String blockPkg = pkg;
        if (type.find()) {
          assertThat(run)
              .as(doc.getFileName() + " block " + n + ": only method bodies run")
              .isFalse();
          cls = type.group(1);
          Matcher declared = PACKAGE.matcher(split.code);
          String code = split.code;
          if (declared.find()) { // a complete source file keeps its own package
            blockPkg = declared.group(1);
            code = declared.replaceFirst("");
          }
          source = "package " + blockPkg + ";\n\n" + split.imports + "\n" + code;
        } else {
          cls = "Snippet" + n;
          source = wrap(pkg, cls, split);
        }
        Path src = tmp.resolve("src/" + blockPkg.replace('.', '/') + "/" + cls + ".java");
        Files.createDirectories(src.getParent());
        assertThat(src).as("two blocks of " + doc.getFileName() + " declare " + cls).doesNotExist();
        Files.writeString(src, source, StandardCharsets.UTF_8);
        sources.add(src);
        snippets.add(new Snippet(doc.getFileName().toString(), n, blockPkg + "." + cls, run));
      }
    }
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    List<String> args =
        new ArrayList<>(
            List.of("-d", classes.toString(), "-cp", classpath(), "-proc:none", "-Xlint:none"));
    sources.forEach(s -> args.add(s.toString()));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, args.toArray(String[]::new));
    assertThat(errors.toString(StandardCharsets.UTF_8)).as("javac output").isEmpty();
    assertThat(rc).isZero();

    try (URLClassLoader cl =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, DocsSnippetsTest.class.getClassLoader())) {
      for (Snippet s : snippets) {
        if (s.run()) {
          Method run = cl.loadClass(s.className()).getDeclaredMethod("run");
          run.setAccessible(true);
          run.invoke(null);
        }
      }
    }
    return snippets;
  }

  /**
   * The README's consumer example is the project that the consumer check (mediclip-it) builds and
   * runs: its Java class and logging configuration verbatim, and its pom up to the check's own
   * additions.
   */
  @Test
  void readmeConsumerExampleIsTheConsumerCheck() throws IOException {
    Path root = repoRoot();
    Path consumer = root.resolve("mediclip-it/src/it/consumer");
    Assumptions.assumeTrue(Files.isDirectory(consumer), "consumer check not found under " + root);
    String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    String section = readme.substring(readme.indexOf("## Use it from Maven"));
    Matcher m = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL).matcher(section);
    String xml = null;
    String properties = null;
    String java = null;
    while (m.find() && (xml == null || properties == null || java == null)) {
      switch (m.group(1)) {
        case "xml" -> xml = xml == null ? m.group(2) : xml;
        case "properties" -> properties = properties == null ? m.group(2) : properties;
        case "java" -> java = java == null ? m.group(2) : java;
        default -> {}
      }
    }
    assertThat(java)
        .isEqualTo(read(consumer.resolve("src/main/java/com/example/BrainDetector.java")));
    assertThat(properties)
        .isEqualTo(read(consumer.resolve("src/main/resources/simplelogger.properties")));
    String pom = read(consumer.resolve("pom.xml")).replace("@project.version@", "0.1.0-SNAPSHOT");
    String readmePom = xml.substring(0, xml.indexOf("    </plugins>"));
    assertThat(pom).startsWith(readmePom);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** A block's import lines and the rest. */
  private record Split(String imports, String code) {}

  private static Split split(String body) {
    Set<String> imports = new LinkedHashSet<>();
    StringBuilder code = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      if (line.startsWith("import ")) {
        imports.add(line);
      } else {
        code.append(line).append('\n');
      }
    }
    return new Split(String.join("\n", imports) + "\n", code.toString());
  }

  static String wrap(String pkg, String cls, Split split) {
    StringBuilder sb = new StringBuilder("package " + pkg + ";\n\n");
    sb.append(split.imports);
    sb.append("\n@SuppressWarnings(\"unused\")\nfinal class ").append(cls).append(" {\n");
    sb.append("  static void run() throws Exception {\n");
    for (String line : split.code.split("\n", -1)) {
      sb.append("    ").append(line).append('\n');
    }
    sb.append("  }\n}\n");
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
