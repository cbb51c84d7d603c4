#!/usr/bin/env python3
"""The textbook Fashion-MNIST MLP in PyTorch, for comparison with Neurite in the same run.

Same model (784-300-100-10, ReLU, softmax cross-entropy), same optimizer (SGD, lr 0.01), batch 32,
the first 5,000 training images held out for validation, Glorot-uniform weights and zero biases as Keras
initializes them. Each epoch does what Neurite's (and Keras's) fit does: the training steps with the running
loss and accuracy, then the validation loss and accuracy in batches of 32; an epoch's time covers both, and
the training steps alone are printed beside it (--lean drops the running accuracy and the validation pass). Prints the time
of each epoch and the test accuracy.

Run it with Debian's interpreter and package (python3-torch 1.13):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/pytorch_mlp.py --epochs 3 --threads 2
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch


def idx(path):
    with gzip.open(path, "rb") as f:
        magic, = struct.unpack(">i", f.read(4))
        dims = struct.unpack(">" + "i" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--limit", type=int, default=0, help="train on only this many images (quick checks)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--lean", action="store_true",
                   help="PyTorch's leanest loop: no running accuracy and no validation pass (not the same job as fit)")
    p.add_argument("--step-times", action="store_true",
                   help="also print the percentiles of the training steps' times after the first epoch (as the "
                        "fashion-mnist example's --step-times: from the end of one step to the end of the next)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = idx(os.path.join(a.data, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255.0
    y = idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    xt = idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255.0
    yt = idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    x_train, y_train = torch.from_numpy(x[5000:]), torch.from_numpy(y[5000:])
    x_val, y_val = torch.from_numpy(x[:5000]), torch.from_numpy(y[:5000])
    if a.limit:
        x_train, y_train = x_train[:a.limit], y_train[:a.limit]
    x_test, y_test = torch.from_numpy(xt), torch.from_numpy(yt)
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100),
                                torch.nn.ReLU(), torch.nn.Linear(100, 10))
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x_train.shape[0]
    times = []
    steps = []
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        last = start
        model.train()
        perm = torch.randperm(n)
        total = 0.0
        correct = 0
        for i in range(0, n, 32):
            idx_b = perm[i:i + 32]
            opt.zero_grad()
            out = model(x_train[idx_b])
            yb = y_train[idx_b]
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx_b)
            if not a.lean:
                correct += (out.argmax(1) == yb).sum().item()
            now = time.perf_counter()
            if epoch > 1:
                steps.append(now - last)
            last = now
        trained = time.perf_counter() - start
        line = f"loss {total / n:.4f}" + ("" if a.lean else f", accuracy {correct / n:.4f}")
        if not a.lean:
            model.eval()
            val_loss, val_correct = 0.0, 0
            with torch.no_grad():
                for i in range(0, x_val.shape[0], 32):
                    out = model(x_val[i:i + 32])
                    val_loss += loss_fn(out, y_val[i:i + 32]).item() * out.shape[0]
                    val_correct += (out.argmax(1) == y_val[i:i + 32]).sum().item()
            line += f", val_loss {val_loss / x_val.shape[0]:.4f}, val_accuracy {val_correct / x_val.shape[0]:.4f}"
        times.append(time.perf_counter() - start)
        print(f"pytorch epoch {epoch}: {times[-1]:.2f} s (training steps {trained:.2f} s), {line}", flush=True)
    with torch.no_grad():
        acc = (model(x_test).argmax(1) == y_test).float().mean().item()
    steady = sorted(times[1:] or times)
    median = (steady[(len(steady) - 1) // 2] + steady[len(steady) // 2]) / 2
    mode = "lean loop" if a.lean else "same job as fit"
    print(f"pytorch ({mode}) test accuracy {100 * acc:.2f}% after {a.epochs} epochs (threads {a.threads}); "
          f"epoch time {median:.2f} s (median of epochs 2-{len(times)}; the first {times[0]:.2f} s)")
    if a.step_times:
        if steps:
            s = sorted(steps)
            k = len(s)
            print(f"step times: p10 {s[k // 10] * 1e6:.0f} us, median {s[k // 2] * 1e6:.0f} us, "
                  f"p90 {s[k * 9 // 10] * 1e6:.0f} us, p99 {s[k * 99 // 100] * 1e6:.0f} us, max {s[-1] * 1e6:.0f} us, "
                  f"mean {sum(s) / k * 1e6:.0f} us ({k} steps after the first epoch)")
        else:
            print("step times: no steps after the first epoch")


if __name__ == "__main__":
    main()
