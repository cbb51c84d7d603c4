#!/usr/bin/env bash
# Builds the examples (and what they need) and runs one:
#   examples/run.sh fashion-mnist [--backend cpu] [--epochs 30] ...
#   examples/run.sh regression | wide-deep | perceptron | lr-finder | spiral | tune | convert | predict | backends
#   examples/run.sh spark-fashion-mnist --master 'local[2]' --epochs 3 | spark-predict --model F --input D --output D
# The data come from Debian's packages. When Fashion-MNIST is missing this script installs
# dataset-fashion-mnist if it runs as root (otherwise it says how); the scikit-learn tables (iris, Boston)
# are unpacked from the python3-sklearn package into ~/.cache/neurite without installing it.
# The JVM gets --add-modules jdk.incubator.vector so that the CPU backend runs its Vector API kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
command="${1:-fashion-mnist}"
[ $# -gt 0 ] && shift
args=("$@")
has_data=false
for a in "${args[@]+"${args[@]}"}"; do [ "$a" = "--data" ] && has_data=true; done

case "$command" in
  fashion-mnist|lr-finder|tune|spark-fashion-mnist)
    if ! $has_data && [ ! -d /usr/share/datasets/fashion-mnist ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Fashion-MNIST is missing: installing Debian's dataset-fashion-mnist (about 30 MB)..." >&2
        apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 \
          || { apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
      else
        echo "Fashion-MNIST is missing; install it with: sudo apt-get install -y dataset-fashion-mnist" >&2
      fi
    fi ;;
  regression|wide-deep|perceptron)
    sk=/usr/lib/python3/dist-packages/sklearn/datasets/data
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/neurite/sklearn"
    if ! $has_data && [ ! -d "$sk" ]; then
      if [ ! -d "$cache/usr/lib/python3/dist-packages/sklearn/datasets/data" ]; then
        echo "Unpacking scikit-learn's data tables from Debian's python3-sklearn into $cache ..." >&2
        mkdir -p "$cache"
        (cd "$cache" && { apt-get download python3-sklearn >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1; apt-get download python3-sklearn >/dev/null; }; } \
          && dpkg -x python3-sklearn_*.deb . && rm -f python3-sklearn_*.deb)
      fi
      args+=(--data "$cache/usr/lib/python3/dist-packages/sklearn/datasets/data")
    fi ;;
esac

# Build only when a source or POM is newer than the jar; quietly, showing the log only when the build fails. The
# spark-* commands also need the class path of Spark's jars (provided scope), listed by the same build.
jar=examples/target/neurite-examples.jar
cp_file=examples/target/spark.classpath
goals=(package)
case "$command" in
  spark-*) if [ ! -s "$cp_file" ] || [ examples/pom.xml -nt "$cp_file" ]; then
             goals=(package dependency:build-classpath -Dmdep.includeScope=provided "-Dmdep.outputFile=$PWD/$cp_file")
             rm -f "$jar"
           fi ;;
esac
stale=true
if [ -f "$jar" ]; then
  newer="$(find pom.xml core charts cpu-backend opencl-backend cuda-backend examples \
      \( -name target -prune \) -o \( -type f -newer "$jar" \( -path '*/src/main/*' -o -name pom.xml \) -print \) 2>/dev/null | head -n 1)"
  [ -z "$newer" ] && stale=false
fi
if $stale; then
  echo "Building the examples (once; again only after a change)..." >&2
  log="$(mktemp "${TMPDIR:-/tmp}/neurite-build.XXXXXX")"
  if ! mvn -B -q -DskipTests -pl examples -am "${goals[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Signal chaining: OpenCL drivers such as PoCL would otherwise replace the JVM's SIGSEGV handler.
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v "$java_bin")")")")/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
# The spark-* commands need Spark, which the examples jar leaves out (it is "provided", as on a cluster): its jars
# come from Maven's repository, listed once into a class path file, and Spark's JVM options are added.
extra=()
main_args=(-jar "$jar")
case "$command" in
  spark-*)
    extra=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
      --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
      --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
      -Djdk.reflect.useDirectMethodHandle=false)
    # Spark's jars first: its SLF4J binding (log4j) must win over the examples' java.util.logging one, which with
    # Spark's JUL-to-SLF4J bridge would send every log record round in a loop.
    main_args=(-cp "$(cat "$cp_file"):$jar" org.neurite.examples.Main) ;;
esac

# The JVM announces the incubator module on stderr at every start, which no option silences: that line is
# dropped, and everything else the program writes to stderr passes through.
exec "$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "${extra[@]+"${extra[@]}"}" \
  "${main_args[@]}" "$command" "${args[@]+"${args[@]}"}" \
  2> >(grep --line-buffered -v '^WARNING: Using incubator modules: jdk.incubator.vector$' >&2)
