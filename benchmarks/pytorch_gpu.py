"""PyTorch on the GPU, for scripts/gpu/check.sh: fp32 matmul GFLOP/s (TF32 off, as Neurite computes in
fp32) at n = 1024, 2048, 4096, and one SGD training step of the textbook Fashion-MNIST MLP
(784-300-100-10, ReLU, cross-entropy) at batch 256 with the loss read back, as Neurite's trainOnBatch
does. Prints JSON."""
import json
import time

import torch

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = "cuda"
result = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "matmul": {}}

for n in (1024, 2048, 4096):
    a = torch.randn(n, n, device=dev)
    b = torch.randn(n, n, device=dev)
    for _ in range(5):
        c = a @ b
    torch.cuda.synchronize()
    reps = max(10, int(4e12 / (2 * n ** 3)))
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        c = torch.matmul(a, b)
    end.record()
    torch.cuda.synchronize()
    ms = start.elapsed_time(end) / reps
    result["matmul"][str(n)] = 2 * n ** 3 / (ms * 1e-3) / 1e9

model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100), torch.nn.ReLU(),
                            torch.nn.Linear(100, 10)).to(dev)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = torch.nn.CrossEntropyLoss()
x = torch.rand(256, 784, device=dev)
y = torch.randint(0, 10, (256,), device=dev)


def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(50):
    step()
steps = 500
t0 = time.perf_counter()
for _ in range(steps):
    step()
result["mlp_step_us"] = (time.perf_counter() - t0) / steps * 1e6
print(json.dumps(result))
