#!/usr/bin/env bash
# Compares this working tree's CPU backend against another revision's, both loaded in one JVM and measured in
# alternation (org.neurite.benchmarks.CpuAb): the MLP's GEMMs, a 512^3 GEMM and a fit step, with the ratio
# candidate / baseline and its spread. On a machine whose speed drifts this tells a 10% change from noise
# where two separate JMH runs cannot. Calibrate with REV = HEAD on a clean tree (a build against itself).
# Usage: benchmarks/cpu-ab.sh REV [--threads N] [--rounds R]
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:?usage: benchmarks/cpu-ab.sh REV [--threads N] [--rounds R]}"
shift
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$rev" >/dev/null
(cd "$work/base" && mvn -B -q -o -DskipTests -pl cpu-backend -am package 2>/dev/null \
  || mvn -B -q -DskipTests -pl cpu-backend -am package)
# The main jar only: the build also writes -sources and -javadoc jars beside it.
main_jar() { ls "$1"/neurite-cpu-*.jar | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-tests\.jar$' | head -n 1; }
cp "$(main_jar "$work/base/cpu-backend/target")" "$work/baseline.jar"
mvn -B -q -DskipTests -pl benchmarks -am install
cp "$(main_jar cpu-backend/target)" "$work/candidate.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar org.neurite.benchmarks.CpuAb \
  "$work/baseline.jar" "$work/candidate.jar" "$@"
