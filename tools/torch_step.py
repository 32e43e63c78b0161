#!/usr/bin/env python3
"""torch_step.py: the PyTorch peer of nnstm's training step, for speed ratios.

K independent tanh networks, each its own nn.Sequential with its own SGD optimizer, stepped one after
another (what a reference notebook does). Network: input 784, (depth - 1) tanh layers of width 784, one
tanh layer of width 400, a linear output of 10 classes (depth + 1 Linear layers); batch 64 of fixed
random inputs and labels; CrossEntropyLoss (mean over the batch); SGD lr 0.01, momentum 0.9. One step =
forward + backward + update of all K models. Same network as org.nnstm.backend.cuda.GpuBenchmark.

Prints one JSON line: device, depth, models, batch, steps, ms_per_step (all K models), model_steps_per_s,
torch version and CPU threads.

Usage: tools/torch_step.py --device cpu|cuda --depth 10 --models 1 --batch 64 --steps 20 [--threads N]
"""
import argparse
import json
import time

import torch
from torch import nn


def make_model(depth, generator):
    widths = [784] + [784] * (depth - 1) + [400]
    layers = []
    for i in range(depth):
        layers += [nn.Linear(widths[i], widths[i + 1]), nn.Tanh()]
    layers.append(nn.Linear(400, 10))
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                m.weight.normal_(0.0, (1.5 / m.in_features) ** 0.5, generator=generator)
                m.bias.normal_(0.0, 0.05 ** 0.5, generator=generator)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--depth", type=int, default=10)
    ap.add_argument("--models", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: leave PyTorch's default)")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    gen = torch.Generator().manual_seed(0)
    models = [make_model(a.depth, gen).to(dev) for _ in range(a.models)]
    opts = [torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9) for m in models]
    x = torch.randn(a.batch, 784, generator=gen).mul_(0.3).to(dev)
    y = (torch.arange(a.batch) % 10).to(dev)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        for m, o in zip(models, opts):
            o.zero_grad(set_to_none=True)
            loss = loss_fn(m(x), y)
            loss.backward()
            o.step()
        return loss

    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    for _ in range(a.warmup):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        loss = step()
    sync()
    ms = (time.perf_counter() - t0) * 1e3 / a.steps
    print(json.dumps({
        "device": a.device if dev.type == "cpu" else torch.cuda.get_device_name(dev),
        "depth": a.depth, "models": a.models, "batch": a.batch, "steps": a.steps,
        "ms_per_step": round(ms, 4), "model_steps_per_s": round(a.models * 1e3 / ms, 2),
        "last_loss": float(loss.detach()), "torch": torch.__version__, "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
