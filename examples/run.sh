#!/usr/bin/env bash
# Builds the examples (and what they need) and runs one: examples/run.sh spiral [--backend cpu] [...]
# The JVM gets --add-modules jdk.incubator.vector so that the CPU backend runs its Vector API kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl examples -am package
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -jar examples/target/neurite-examples.jar "${@:-spiral}"
