#!/usr/bin/env bash
# The textbook Fashion-MNIST MLP, epoch time and test accuracy, Neurite (CPU backend) beside PyTorch in the same
# run, same model, data, split and batch size, runs interleaved (Neurite, PyTorch, Neurite, ...) so that the VM's
# swings hit both alike.
# PyTorch runs the same job as Neurite's fit (running loss and accuracy, then the validation pass, as Keras does) at
# 1 and at 2 threads, its best setting being counted; with --lean also its leanest loop (training steps only). Each
# also prints the percentiles of its step times after the first epoch (--step-times): the quick steps show what each
# does when the machine leaves it alone.
#   benchmarks/mlp-vs-pytorch.sh [epochs, default 3] [runs, default 1] [--lean]
# Which PyTorch: $PYTHON (a venv with the torch 2.x CPU wheel: oneDNN/MKL), else Debian's /usr/bin/python3 with
# python3-torch 1.13 (then also libopenblas0-pthread, with OPENBLAS_NUM_THREADS=1, or it falls back to the reference
# BLAS). A venv where a local wheel index is configured (pip config list):
#   python3 -m venv /tmp/tvenv && /tmp/tvenv/bin/pip install torch numpy
#   PYTHON=/tmp/tvenv/bin/python benchmarks/mlp-vs-pytorch.sh 5 3
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-3}"
runs="${2:-1}"
lean="${3:-}"
py="${PYTHON:-/usr/bin/python3}"
"$py" -c "import torch" 2>/dev/null || { echo "$py has no torch: set PYTHON to a venv with torch, or sudo apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 2; }
if [ "$py" = /usr/bin/python3 ] && ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q "Value: .*openblas"; then
  # Debian's torch calls whatever libblas.so.3 is installed; without OpenBLAS that is the reference BLAS,
  # about 25x slower here (a 32x784x300 matmul: 5.7 ms instead of 0.21 ms).
  echo "warning: libblas.so.3 is not OpenBLAS; PyTorch will run far below its best (apt-get install -y libopenblas0-pthread)" >&2
fi
mvn -B -q -DskipTests -pl examples -am package
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java_bin" -version 2>&1 | head -n 1
echo "PyTorch $("$py" -c 'import torch; print(torch.__version__)') ($py)"
for run in $(seq "$runs"); do
  echo "== run $run: Neurite"
  "$java_bin" --add-modules jdk.incubator.vector -jar examples/target/neurite-examples.jar fashion-mnist \
    --epochs "$epochs" --step-times --plot /tmp/neurite-mlp-curves.png 2>&1 | tr '\r' '\n' \
    | grep -E "^backend|test accuracy|^step times"
  for t in 1 2; do
    echo "== run $run: PyTorch, $t thread(s), the same job as fit (running accuracy, validation pass)"
    OPENBLAS_NUM_THREADS=1 "$py" benchmarks/pytorch_mlp.py --epochs "$epochs" --threads "$t" --step-times | tail -n 2
  done
  if [ "$lean" = --lean ]; then
    echo "== run $run: PyTorch, its leanest loop (training steps only: no accuracy, no validation), 2 threads"
    OPENBLAS_NUM_THREADS=1 "$py" benchmarks/pytorch_mlp.py --epochs "$epochs" --threads 2 --lean | tail -n 1
  fi
done
