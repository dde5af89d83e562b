#!/usr/bin/env bash
# Builds a jlink runtime of Java 17 with the modules MediCLIP's jars, DJL's jars and the test/bench classpath need,
# then packs it as gpu/carry/jre.tar.gz (the device machine has no Java).
#
#   gpu/build-jre.sh [--out-dir gpu/work/jre] [--tar gpu/carry/jre.tar.gz]
#
# Modules: the seven of docs/design (java.base, java.desktop, java.logging, java.management, java.naming, java.xml,
# jdk.unsupported) plus what jdeps finds on the carried class path beyond them: jdk.management (the bench mains read
# process CPU time), java.sql (Gson's optional adapters, AssertJ, JUnit params), java.instrument (Byte Buddy, used by
# AssertJ) and java.compiler (annotations referenced by DJL and Error Prone); and jdk.zipfs, the "jar:"/zip file
# system provider, which no jdeps run reports (it is a service found at run time) but which JUnit's class-path
# scanner needs to read a jar of tests (the CPU rehearsal found 0 tests and "Provider \"jar\" not found" without
# it), as does any FileSystems.newFileSystem over a zip. gpu/prepare-carry.sh checks every
# carried jar against this list with jdeps and fails when one needs a module that is missing.
# Uncompressed modules (--compress=0) pack smaller as .tar.gz than jlink's own zip compression.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/gpu/work/jre"
TAR="$ROOT/gpu/carry/jre.tar.gz"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out-dir) OUT_DIR="$2"; shift 2 ;;
    --tar) TAR="$2"; shift 2 ;;
    *) echo "build-jre.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.sql,java.xml,jdk.management,jdk.unsupported,jdk.zipfs
JLINK="${JAVA_HOME:+$JAVA_HOME/bin/}jlink"
command -v "$JLINK" >/dev/null || { echo "build-jre.sh: jlink not found (install a JDK 17 or set JAVA_HOME)" >&2; exit 2; }
ver="$("$JLINK" --version)"
[[ "$ver" == 17* ]] || { echo "build-jre.sh: jlink $ver is not Java 17 (set JAVA_HOME to a JDK 17)" >&2; exit 2; }
rm -rf "$OUT_DIR"
mkdir -p "$(dirname "$OUT_DIR")" "$(dirname "$TAR")"
"$JLINK" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=0 --output "$OUT_DIR"
"$OUT_DIR/bin/java" -version 2>&1 | head -1
tar -C "$(dirname "$OUT_DIR")" -czf "$TAR.tmp" "$(basename "$OUT_DIR")"
mv -f "$TAR.tmp" "$TAR"
echo "build-jre.sh: jlink $ver, modules $MODULES"
echo "build-jre.sh: runtime $(du -sb "$OUT_DIR" | cut -f1) bytes raw, $(stat -c %s "$TAR") bytes as $(basename "$TAR")"
