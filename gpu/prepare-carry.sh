#!/usr/bin/env bash
# Prepares gpu/carry/, the one ignored folder that travels to the device machine (name it in the run's `carry`):
#
#   jre.tar.gz            jlink runtime of Java 17 (gpu/build-jre.sh)
#   jni-include/          jni.h, linux/jni_md.h (from this JDK) and ai_djl_pytorch_jni_PyTorchLibrary.h (javac -h
#                         of DJL's PyTorchLibrary.java): the JNI build's headers, which a jlink image lacks
#   djl-src/              DJL v0.36.0: engines/pytorch/pytorch-native (CMakeLists.txt, src/main/native) and
#                         api/src/main/native -- the JNI sources, never added to the repository
#   lib/                  the project's jars, their runtime and test dependencies, JUnit's console launcher and
#                         the mediclip-core test classes, WITHOUT pytorch-native-cpu and pytorch-jni (the device
#                         loads its own libtorch and the JNI library built there), and without Byte Buddy (9 MB,
#                         needed by AssertJ only for soft assertions and proxies, which our tests do not use; the
#                         CPU rehearsal runs the whole core suite without it)
#   parity/               a copy of ../shared/parity (tiny-clip-64 and the BPE vocabulary); ../shared does not travel
#   MANIFEST.txt          commit, sizes and sha256 of everything above
#
#   gpu/prepare-carry.sh --djl-git DIR | --djl-src DIR [--no-build] [--shared DIR]
#
#   --djl-git DIR   a git directory of deepjavalibrary/djl holding tag v0.36.0 (e.g. what the search tool's fetch
#                   of github:deepjavalibrary/djl returns); the sources are taken with git archive v0.36.0
#   --djl-src DIR   or an already extracted DJL v0.36.0 source tree
#   --no-build      use the jars already in */target (default: mvn -o package of mediclip-benchmarks first)
#   --shared DIR    the shared folder with parity/ (default: ../shared beside the repository)
#
# Ends by printing the carried size plus the working tree that travels with every run, and fails when the
# total exceeds the device tool's 64 MiB.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARRY="$ROOT/gpu/carry"
DJL_GIT="" DJL_SRC="" BUILD=1 SHARED="$ROOT/../shared"
LIMIT=$((64 * 1024 * 1024))
while [[ $# -gt 0 ]]; do
  case "$1" in
    --djl-git) DJL_GIT="$2"; shift 2 ;;
    --djl-src) DJL_SRC="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --shared) SHARED="$2"; shift 2 ;;
    *) echo "prepare-carry.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$DJL_GIT" || -n "$DJL_SRC" ]] || { echo "prepare-carry.sh: give --djl-git DIR or --djl-src DIR" >&2; exit 2; }
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
[[ -f "$JAVA_HOME/include/jni.h" ]] || { echo "prepare-carry.sh: no JDK headers at $JAVA_HOME/include; set JAVA_HOME" >&2; exit 2; }
cd "$ROOT"
mkdir -p "$CARRY"

# 1. the project's jars
if [[ "$BUILD" == 1 ]]; then
  mvn -B -o -q -DskipTests package -pl mediclip-benchmarks -am
fi
VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
for m in mediclip-synth mediclip-core mediclip-eval mediclip-benchmarks; do
  [[ -f "$m/target/$m-$VERSION.jar" ]] || { echo "prepare-carry.sh: $m/target/$m-$VERSION.jar missing; drop --no-build" >&2; exit 2; }
done
[[ -d mediclip-core/target/test-classes/io ]] || { echo "prepare-carry.sh: mediclip-core test classes missing" >&2; exit 2; }

# 2. class path: runtime of the benchmarks (synth, core, eval + DJL, Guava, ...) and the tests of mediclip-core
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE" "$CP_FILE".*' EXIT
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP_FILE.bench" -pl mediclip-benchmarks
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE.core" -pl mediclip-core
CONSOLE="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar"
if [[ ! -f "$CONSOLE" ]]; then
  mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 -Dtransitive=false
fi
rm -rf "$CARRY/lib"
mkdir -p "$CARRY/lib"
# JUnit's own jars come with the console launcher; the reactor's jars from target/.
cat "$CP_FILE.bench" "$CP_FILE.core" | tr ':' '\n' | sort -u \
  | grep -v -e 'pytorch-native-' -e 'pytorch-jni-' -e '/org/junit/' -e '/org/opentest4j/' -e '/org/apiguardian/' \
      -e '/mediclip-' -e '/jmh-' -e '/jopt-simple' -e '/net/bytebuddy/' -e '^$' \
  | while read -r jar; do cp "$jar" "$CARRY/lib/"; done
cp "$CONSOLE" "$CARRY/lib/"
for m in mediclip-synth mediclip-core mediclip-eval mediclip-benchmarks; do
  cp "$m/target/$m-$VERSION.jar" "$CARRY/lib/"
done
jar --create --file "$CARRY/lib/mediclip-core-$VERSION-tests.jar" -C mediclip-core/target/test-classes .

# 3. the Java runtime, checked against what the carried jars need
"$ROOT/gpu/build-jre.sh" --tar "$CARRY/jre.tar.gz"
MODULES="$("$ROOT/gpu/work/jre/bin/java" --list-modules | sed 's/@.*//' | tr '\n' ' ')"
missing=""
for jar in "$CARRY"/lib/*.jar; do
  tmp="$(mktemp -d)"
  unzip -q -o "$jar" -x 'META-INF/versions/*' 'module-info.class' -d "$tmp" 2>/dev/null || true
  for need in $(jdeps -s --ignore-missing-deps "$tmp" 2>/dev/null | awk '{print $3}' | grep -E '^(java|jdk)\.' | sort -u); do
    [[ " $MODULES " == *" $need "* ]] || missing="$missing $(basename "$jar")->$need"
  done
  rm -rf "$tmp"
done
if [[ -n "$missing" ]]; then
  echo "prepare-carry.sh: the jlink runtime lacks modules:$missing (add them to gpu/build-jre.sh)" >&2
  exit 1
fi
echo "prepare-carry.sh: every carried jar's JDK modules are in the runtime"

# 4. DJL v0.36.0 sources (JNI part only) and the JNI headers
rm -rf "$CARRY/djl-src" "$CARRY/jni-include"
mkdir -p "$CARRY/djl-src" "$CARRY/jni-include/linux"
if [[ -n "$DJL_GIT" ]]; then
  git --git-dir="$DJL_GIT" archive v0.36.0 engines/pytorch/pytorch-native/CMakeLists.txt \
      engines/pytorch/pytorch-native/src/main/native api/src/main/native \
      engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java \
    | tar -x -C "$CARRY/djl-src"
else
  (cd "$DJL_SRC" && tar -c engines/pytorch/pytorch-native/CMakeLists.txt engines/pytorch/pytorch-native/src/main/native \
      api/src/main/native engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java) \
    | tar -x -C "$CARRY/djl-src"
fi
cp "$JAVA_HOME/include/jni.h" "$CARRY/jni-include/"
cp "$JAVA_HOME/include/linux/jni_md.h" "$CARRY/jni-include/linux/"
HDR_TMP="$(mktemp -d)"
javac -h "$CARRY/jni-include" -d "$HDR_TMP" \
  "$CARRY/djl-src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
rm -rf "$HDR_TMP"
[[ -f "$CARRY/jni-include/ai_djl_pytorch_jni_PyTorchLibrary.h" ]] || { echo "prepare-carry.sh: javac -h wrote no header" >&2; exit 1; }

# 5. parity fixtures
rm -rf "$CARRY/parity"
if [[ -f "$SHARED/parity/tiny-clip-64/meta.json" ]]; then
  mkdir -p "$CARRY/parity"
  cp -r "$SHARED/parity/tiny-clip-64" "$SHARED/parity/bpe_simple_vocab_16e6.txt.gz" "$CARRY/parity/"
  chmod -R u+w "$CARRY/parity"
else
  echo "prepare-carry.sh: WARNING no parity fixtures at $SHARED/parity; the device run will skip parity" >&2
fi

# 6. manifest and the size check
(
  echo "prepared $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!gpu/carry' || echo ' (+ uncommitted changes)')"
  cd "$CARRY" && find . -type f ! -name MANIFEST.txt -print0 | sort -z | xargs -0 sha256sum
) > "$CARRY/MANIFEST.txt"
carried=$(du -sb "$CARRY" | cut -f1)
tree=$(git ls-files -z -co --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
total=$((carried + tree))
printf 'prepare-carry.sh: carried %s bytes (jre %s, lib %s, parity %s, djl-src %s, jni-include %s) + working tree %s = %s bytes of %s (%.1f MiB of 64)\n' \
  "$carried" "$(stat -c %s "$CARRY/jre.tar.gz")" "$(du -sb "$CARRY/lib" | cut -f1)" "$(du -sb "$CARRY/parity" 2>/dev/null | cut -f1)" \
  "$(du -sb "$CARRY/djl-src" | cut -f1)" "$(du -sb "$CARRY/jni-include" | cut -f1)" "$tree" "$total" "$LIMIT" \
  "$(awk -v t="$total" 'BEGIN{print t/1048576}')"
if (( total > LIMIT )); then
  echo "prepare-carry.sh: over the 64 MiB a device run may carry" >&2
  exit 1
fi
