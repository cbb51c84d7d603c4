#!/usr/bin/env bash
# Reproducible builds: builds the tree twice from clean, in two different directories, and compares every jar
# (main, sources, javadoc, test-jar, shaded) byte for byte. Differences are listed with the entries that differ.
#   scripts/reproducible-build.sh            # the working tree as it is (tracked and untracked, not ignored)
# Uses the project's own settings (project.build.outputTimestamp in the POMs); run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$(mktemp -d "${TMPDIR:-/tmp}/neurite-repro.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for i in 1 2; do
  mkdir -p "$work/$i"
  # The files git would commit, with their current contents: no target/ left over from another build.
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents -- {} "$work/$i/" 2>/dev/null || true)
  (cd "$work/$i" && mvn -B -q -DskipTests package >"$work/build-$i.log" 2>&1) \
    || { echo "build $i failed:" >&2; tail -n 40 "$work/build-$i.log" >&2; exit 1; }
  (cd "$work/$i" && find . -path '*/target/*.jar' -newer pom.xml -type f | sort | xargs sha256sum) >"$work/sums-$i"
done

count=$(wc -l <"$work/sums-1")
if [ "$count" -lt 5 ]; then
  echo "reproducible-build: only $count jars were built; expected every module's" >&2
  exit 1
fi
if diff -u "$work/sums-1" "$work/sums-2" >"$work/diff"; then
  echo "reproducible-build: $count jars, byte-identical across two clean builds"
  sed 's/^/  /' "$work/sums-1"
  exit 0
fi
echo "reproducible-build: the two builds differ:" >&2
cat "$work/diff" >&2
for jar in $(diff "$work/sums-1" "$work/sums-2" | awk '/^</ {print $3}'); do
  echo "== $jar: entries that differ" >&2
  for i in 1 2; do (mkdir -p "$work/x$i" && cd "$work/x$i" && rm -rf ./* && unzip -q -o "$work/$i/$jar"); done
  diff -rq "$work/x1" "$work/x2" >&2 || true
  for i in 1 2; do unzip -Z -T "$work/$i/$jar" 2>/dev/null | head -n 5 >&2 || true; done
done
exit 1
