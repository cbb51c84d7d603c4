#!/usr/bin/env bash
# Prepares the one-call GPU check (scripts/gpu/check.sh) on a build machine: a Java 25 runtime made with
# jlink (the GPU machines have no Java), the jars, the CUDA tests and the benchmarks, all under
# target/gpu-check (about 30 MB; the device tool carries it with `carry: ["target/gpu-check"]`).
#
# Usage: scripts/gpu/prepare.sh            (JDK 25 from $JDK25, else /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail
cd "$(dirname "$0")/../.."
jdk25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$jdk25/bin/jlink" ] || { echo "prepare.sh: no JDK 25 at $jdk25 (set JDK25)" >&2; exit 2; }
out=target/gpu-check
rm -rf "$out"
mkdir -p "$out/lib" "$out/cuda-tests" "$out/opencl-tests" "$out/benchmarks" "$out/ocl/vendors"

# Built with JDK 25, like the runtime it runs on: the cuda jar then has CublasFfm (cuBLAS 13 through the FFM
# API, compiled only by a JDK 22+), the only cuBLAS the GPU machines' CUDA 13 offers.
JAVA_HOME="$jdk25" mvn -B -q -DskipTests install
unzip -l cuda-backend/target/neurite-cuda-*[0-9T].jar | grep -q "META-INF/versions/22/org/neurite/cuda/CublasFfm.class" \
  || { echo "prepare.sh: the cuda jar lacks CublasFfm (not built with JDK 22+?)" >&2; exit 2; }
# JUnit itself comes as the console launcher's standalone jar.
mvn -B -q -pl cuda-backend dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$PWD/$out/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
mvn -B -q -pl benchmarks dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$PWD/$out/lib" \
  -DexcludeGroupIds=org.bytedeco,org.ejml
cp cuda-backend/target/neurite-cuda-*.jar "$out/lib/"
cp -r cuda-backend/target/test-classes/. "$out/cuda-tests/"
cp -r opencl-backend/target/test-classes/. "$out/opencl-tests/"
# NVIDIA's OpenCL ships with its driver, but the GPU machines lack the ICD loader (libOpenCL.so, which JOCL
# loads by that name) and an ICD file naming the driver's library: carry both.
loader=$(readlink -f /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 2>/dev/null || true)
if [ -n "$loader" ] && [ -f "$loader" ]; then
  cp "$loader" "$out/ocl/libOpenCL.so.1"
  ln -sf libOpenCL.so.1 "$out/ocl/libOpenCL.so"
else
  echo "prepare.sh: no ICD loader here (apt-get install ocl-icd-libopencl1); the OpenCL stage will be skipped" >&2
fi
echo "libnvidia-opencl.so.1" > "$out/ocl/vendors/nvidia.icd"
cp -r benchmarks/target/classes/. "$out/benchmarks/"
console=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' | sort | tail -n 1)
if [ -z "$console" ]; then
  mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1
  console=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' | sort | tail -n 1)
fi
cp "$console" "$out/junit-console.jar"
# The nn suite's PNG test needs java.desktop and fonts, which would double the runtime: check.sh skips it.
"$jdk25/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --output "$out/jdk" 2>/dev/null
tar czf "$out/runtime.tar.gz" -C "$out" jdk
rm -rf "$out/jdk"
du -sh "$out"
