package io.github.mediclip.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public API is a deliberate, documented list (issue 11): the packages that the modules export
 * must be exactly the table "Exported packages" in {@code docs/architecture.md}, and no public
 * signature of an exported type may mention a type from a package that is not exported.
 *
 * <p>The exports are read from every {@code module-info.java} of the repository (so a new module,
 * such as one added by another change, is covered without editing this test); a published module
 * without a {@code module-info.java} counts every package that holds a public type as exported. The
 * signatures are checked with ArchUnit on the classes of every module on this test's class path
 * (synth, core, eval, examples).
 */
class PublicApiArchitectureTest {

  private static final String BASE = "io.github.mediclip";

  private static Path root;
  private static Set<String> documented;
  private static Map<String, String> exported; // package -> module folder

  @BeforeAll
  static void readSources() throws IOException {
    root = repositoryRoot();
    documented = documentedPackages(root.resolve("docs").resolve("architecture.md"));
    exported = exportedPackages(root);
  }

  @Test
  void exportedPackagesAreExactlyTheDocumentedList() {
    assertThat(documented)
        .as("docs/architecture.md, section \"Exported packages\", lists no package")
        .isNotEmpty();
    Set<String> undocumented = new TreeSet<>(exported.keySet());
    undocumented.removeAll(documented);
    Set<String> notExported = new TreeSet<>(documented);
    notExported.removeAll(exported.keySet());
    List<String> problems = new ArrayList<>();
    for (String p : undocumented) {
      problems.add(
          p
              + " is exported by "
              + exported.get(p)
              + " but not listed in docs/architecture.md"
              + " (\"Exported packages\"): move it to an internal package, or document why users need it");
    }
    for (String p : notExported) {
      problems.add(
          p
              + " is listed in docs/architecture.md (\"Exported packages\") but no module exports it:"
              + " remove the row or export the package");
    }
    assertThat(problems).as("exported packages vs docs/architecture.md").isEmpty();
  }

  @Test
  void everyExportedPackageHasAPackageInfo() {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : exported.entrySet()) {
      String module = e.getValue().split(" ")[0];
      Path info =
          root.resolve(module)
              .resolve("src/main/java")
              .resolve(e.getKey().replace('.', '/'))
              .resolve("package-info.java");
      if (!Files.isRegularFile(info)) {
        missing.add(root.relativize(info).toString());
      }
    }
    assertThat(missing).as("exported packages without package-info.java").isEmpty();
  }

  @Test
  void qualifiedExportsGoOnlyToOurOwnModules() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path mi : moduleInfos(root)) {
      Matcher m =
          Pattern.compile("exports\\s+([\\w.]+)\\s+to\\s+([\\w.,\\s]+);")
              .matcher(withoutComments(Files.readString(mi, StandardCharsets.UTF_8)));
      while (m.find()) {
        for (String target : m.group(2).split(",")) {
          String t = target.strip();
          if (!t.startsWith(BASE + ".")) {
            problems.add(root.relativize(mi) + " exports " + m.group(1) + " to " + t);
          }
        }
      }
    }
    assertThat(problems).as("qualified exports to modules that are not ours").isEmpty();
  }

  @Test
  void noInternalTypeInAPublicSignatureOfAnExportedType() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
    assertThat(classes.contain(BASE + ".MediClip"))
        .as("the core classes are on the class path")
        .isTrue();
    List<String> leaks = new ArrayList<>();
    for (JavaClass c : classes) {
      if (!isApi(c)) {
        continue;
      }
      c.getSuperclass().ifPresent(t -> check(c.getName() + " extends", t, leaks));
      for (JavaType t : c.getInterfaces()) {
        check(c.getName() + " implements", t, leaks);
      }
      for (JavaField f : c.getFields()) {
        if (visible(f.getModifiers())) {
          check(c.getName() + "." + f.getName(), f.getType(), leaks);
        }
      }
      List<JavaCodeUnit> units = new ArrayList<>(c.getMethods());
      units.addAll(c.getConstructors());
      for (JavaCodeUnit u : units) {
        if (!visible(u.getModifiers()) || u.getModifiers().contains(JavaModifier.SYNTHETIC)) {
          continue;
        }
        String where = c.getName() + "." + u.getName() + "(...)";
        check(where + " returns", u.getReturnType(), leaks);
        for (JavaType p : u.getParameterTypes()) {
          check(where + " takes", p, leaks);
        }
        for (JavaClass e : u.getThrowsClause().getTypes()) {
          check(where + " throws", e, leaks);
        }
      }
    }
    assertThat(leaks)
        .as("types of non-exported packages in public signatures of exported types")
        .isEmpty();
  }

  @Test
  void noPublicMutableStaticsOrArraysInExportedTypes() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
    List<String> problems = new ArrayList<>();
    for (JavaClass c : classes) {
      if (!isApi(c)) {
        continue;
      }
      for (JavaField f : c.getFields()) {
        Set<JavaModifier> m = f.getModifiers();
        if (!visible(m) || m.contains(JavaModifier.SYNTHETIC)) {
          continue;
        }
        if (m.contains(JavaModifier.STATIC) && !m.contains(JavaModifier.FINAL)) {
          problems.add(
              c.getName() + "." + f.getName() + " is a public static field that is not final");
        } else if (f.getRawType().isArray()) {
          problems.add(
              c.getName() + "." + f.getName() + " is a public array (callers can change it)");
        }
      }
    }
    assertThat(problems).as("public mutable state in exported types").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------

  private static boolean isApi(JavaClass c) {
    if (!exported.containsKey(c.getPackageName())) {
      return false;
    }
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return !c.isAnonymousClass() && !c.isLocalClass();
  }

  private static boolean visible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static void check(String where, JavaType type, List<String> leaks) {
    for (JavaClass raw : type.getAllInvolvedRawTypes()) {
      JavaClass base = raw.isArray() ? raw.getBaseComponentType() : raw;
      String pkg = base.getPackageName();
      if ((pkg.equals(BASE) || pkg.startsWith(BASE + ".")) && !exported.containsKey(pkg)) {
        leaks.add(where + " " + base.getName() + " (package " + pkg + " is not exported)");
      }
    }
  }

  /** The folder with the root pom: the parent of this module's folder ({@code basedir}). */
  private static Path repositoryRoot() {
    Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs").resolve("architecture.md"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with docs/architecture.md above " + dir);
  }

  /** The backquoted package names in the first column of the "Exported packages" table. */
  static Set<String> documentedPackages(Path architectureMd) throws IOException {
    List<String> lines = Files.readAllLines(architectureMd, StandardCharsets.UTF_8);
    Set<String> out = new TreeSet<>();
    boolean in = false;
    Pattern row = Pattern.compile("^\\|\\s*`([\\w.]+)`\\s*\\|");
    for (String line : lines) {
      if (line.startsWith("## ")) {
        in = line.strip().equals("## Exported packages");
        continue;
      }
      Matcher m = row.matcher(line);
      if (in && m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /**
   * Package to module folder, for every unqualified export (or public package of a module without
   * one).
   */
  static Map<String, String> exportedPackages(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    List<Path> modules;
    try (Stream<Path> s = Files.list(root)) {
      modules =
          s.filter(p -> Files.isRegularFile(p.resolve("pom.xml")))
              .filter(p -> Files.isDirectory(p.resolve("src/main/java")))
              .sorted()
              .toList();
    }
    Pattern export = Pattern.compile("\\bexports\\s+([\\w.]+)\\s*;");
    for (Path module : modules) {
      String name = module.getFileName().toString();
      Path mi = module.resolve("src/main/java/module-info.java");
      if (Files.isRegularFile(mi)) {
        Matcher m = export.matcher(withoutComments(Files.readString(mi, StandardCharsets.UTF_8)));
        while (m.find()) {
          out.put(m.group(1), name);
        }
      } else if (!notPublished(module)) {
        // A class-path-only module (mediclip-spark: Spark's jars have no legal automatic module
        // names) cannot
        // hide packages from the JVM; its API is every package with a public type except the
        // `internal` ones,
        // the same convention that japicmp's `*.internal.*` exclusion and docs/architecture.md
        // state.
        for (String p : packagesWithPublicTypes(module.resolve("src/main/java"))) {
          if (!p.endsWith(".internal") && !p.contains(".internal.")) {
            out.put(
                p,
                name
                    + " (no module-info.java: every non-internal package with a public type is public)");
          }
        }
      }
    }
    return out;
  }

  private static List<Path> moduleInfos(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.resolve("src/main/java/module-info.java"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }

  private static boolean notPublished(Path module) throws IOException {
    String pom = Files.readString(module.resolve("pom.xml"), StandardCharsets.UTF_8);
    return pom.contains("<maven.deploy.skip>true</maven.deploy.skip>");
  }

  private static Set<String> packagesWithPublicTypes(Path sources) {
    Set<String> out = new TreeSet<>();
    Pattern pkg = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    Pattern pub =
        Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*"
                + "(?:class|interface|enum|record|@interface)\\b",
            Pattern.MULTILINE);
    try (Stream<Path> s = Files.walk(sources)) {
      s.filter(p -> p.toString().endsWith(".java"))
          .forEach(
              p -> {
                try {
                  String src = withoutComments(Files.readString(p, StandardCharsets.UTF_8));
                  Matcher m = pkg.matcher(src);
                  if (m.find() && pub.matcher(src).find()) {
                    out.add(m.group(1));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String withoutComments(String src) {
    return src.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
  }
}
