#!/usr/bin/env python3
"""PyTorch peer of `nnstm bench-step`: ms per training step of the reference network.

The reference "Gaussian feedforward" network: wide layout (784 x (depth-1), 400, 10), nn.Linear layers
each followed by tanh (the last included), CrossEntropyLoss, SGD(lr=0.005, momentum=0.8), batch 64, on a
synthetic batch. K models are K separate nn.Sequential models stepped one after another, as a notebook
would do. Prints one JSON line: impl, device, threads, depth, models, batch, ms_per_step (all K models),
model_steps_per_s (K * 1000 / ms_per_step).

    /usr/bin/python3 tools/torch_step.py --device cpu --threads 1 --depth 10 --models 1
"""
import argparse
import json
import statistics
import time

import torch


def build(depth):
    widths = [784] * (depth - 1) + [400, 10]
    layers = []
    for i in range(depth):
        layers += [torch.nn.Linear(widths[i], widths[i + 1]), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0, help="intra-op threads (0: PyTorch's default)")
    ap.add_argument("--depth", type=int, default=10)
    ap.add_argument("--models", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    torch.manual_seed(0)
    models = [build(a.depth).to(dev) for _ in range(a.models)]
    opts = [torch.optim.SGD(m.parameters(), lr=0.005, momentum=0.8) for m in models]
    x = torch.rand(a.batch, 784, device=dev)
    y = torch.randint(0, 10, (a.batch,), device=dev)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        for m, o in zip(models, opts):
            o.zero_grad(set_to_none=True)
            loss_fn(m(x), y).backward()
            o.step()

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(a.warmup):
        step()
    sync()
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        sync()
        times.append((time.perf_counter() - t0) * 1000 / a.steps)
    ms = statistics.median(times)
    print(json.dumps({"impl": "torch " + torch.__version__, "device": str(dev), "threads": torch.get_num_threads(),
                      "depth": a.depth, "models": a.models, "batch": a.batch, "ms_per_step": ms,
                      "model_steps_per_s": a.models * 1000 / ms}))


if __name__ == "__main__":
    main()
