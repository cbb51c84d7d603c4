#!/usr/bin/env bash
# The textbook Fashion-MNIST MLP, epoch time and test accuracy, Neurite (CPU backend) beside PyTorch 1.13
# (Debian's python3-torch) in the same run, same model, data, split and batch size.
# PyTorch runs twice: the same job as Neurite's fit (running loss and accuracy, then the validation pass, as
# Keras does), and its leanest loop (training steps only), so that both ratios can be given.
# PyTorch gets its best setting on this machine: OPENBLAS_NUM_THREADS=1 (its OpenMP and OpenBLAS thread
# pools otherwise fight over the two cores).
# Needs python3-torch and libopenblas0-pthread (Debian). Usage: benchmarks/mlp-vs-pytorch.sh [epochs, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-3}"
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "needs Debian's python3-torch: sudo apt-get install -y python3-torch libopenblas0-pthread" >&2; exit 2; }
# Debian's torch calls whatever libblas.so.3 is installed; without OpenBLAS that is the reference BLAS,
# about 25x slower here (a 32x784x300 matmul: 5.7 ms instead of 0.21 ms).
if ! update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep -q "Value: .*openblas"; then
  echo "warning: libblas.so.3 is not OpenBLAS; PyTorch will run far below its best (apt-get install -y libopenblas0-pthread)" >&2
fi
mvn -B -q -DskipTests -pl examples -am package
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "== Neurite"
"$java_bin" --add-modules jdk.incubator.vector -jar examples/target/neurite-examples.jar fashion-mnist \
  --epochs "$epochs" --plot /tmp/neurite-mlp-curves.png | tr '\r' '\n' | grep -E "^backend|test accuracy|/step - "
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), the same job as fit (running accuracy, validation pass)"
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch_mlp.py --epochs "$epochs" --threads 2
echo "== PyTorch, its leanest loop (training steps only: no accuracy, no validation)"
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch_mlp.py --epochs "$epochs" --threads 2 --lean
