#!/usr/bin/env python3
"""PyTorch peer of `nnstm grid`: the reference notebook's training loop (ro-jefferson/entropy_dnn,
Gaussian_Feedforward.ipynb: GaussianLinear layers W ~ N(0, var_w/fan_in), b ~ N(0, var_b), tanh after every
layer, CrossEntropyLoss, SGD(lr=0.005, momentum=0.8), DataLoader batch 64 without shuffling, then the
validation loss pass and the accuracy pass with batch 128 and drop_last, as its fit() does), one model after
another in one process, as the notebook's train_models does. PyTorch keeps its default threads.

MNIST comes from the IDX files nnstm uses (pixels / 255; training images 0..49,999, validation 50,000..59,999);
--steps limits each epoch to the first steps * 64 training images. Prints one line per model (var_w, depth,
val_loss, val_acc) and a last JSON line with the totals. Writes no files (the notebook's HDF5 writes of the
accuracies are a few kB per model).

    /usr/bin/python3 tools/torch_grid.py --depth 10 --var-w 1.0,1.25,1.5 --steps 300
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
from torch import optim
from torch.utils.data import DataLoader, TensorDataset


def idx(path):
    for p in (path, path + ".gz"):
        if os.path.exists(p):
            opener = gzip.open if p.endswith(".gz") else open
            with opener(p, "rb") as f:
                data = f.read()
            ndim = data[3]
            dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
    raise SystemExit(f"torch_grid: {path} not found (run tools/fetch-mnist)")


class GaussianLinear(nn.Module):
    def __init__(self, size_in, size_out, var_w, var_b):
        super().__init__()
        self.weights = nn.Parameter(torch.normal(mean=torch.zeros(size_out * size_in),
                                                 std=math.sqrt(var_w / size_in)).view(size_out, size_in))
        self.bias = nn.Parameter(torch.normal(mean=torch.zeros(size_out), std=math.sqrt(var_b)))

    def forward(self, x):
        return torch.add(torch.mm(x, self.weights.t()), self.bias)


def build_wide_network(depth, var_w, var_b):
    widths = [784] * (depth - 1) + [400, 10]
    layers = []
    for i in range(depth):
        layers += [GaussianLinear(widths[i], widths[i + 1], var_w, var_b), nn.Tanh()]
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--depth", type=int, required=True)
    ap.add_argument("--var-w", required=True, help="comma-separated sigma_w^2 values")
    ap.add_argument("--var-b", type=float, default=0.05)
    ap.add_argument("--steps", type=int, default=0, help="SGD steps per epoch (0: the whole training set)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--data", default=os.environ.get("NNSTM_DATA", os.path.expanduser("~/.cache/nnstm/mnist")))
    a = ap.parse_args()
    start = time.time()
    x = idx(os.path.join(a.data, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    y = idx(os.path.join(a.data, "train-labels-idx1-ubyte")).astype(np.int64)
    n_train = 50000 if a.steps == 0 else min(50000, 64 * a.steps)
    x_train, y_train = torch.from_numpy(x[:n_train]), torch.from_numpy(y[:n_train])
    x_valid, y_valid = torch.from_numpy(x[50000:60000]), torch.from_numpy(y[50000:60000])
    train_dl = DataLoader(TensorDataset(x_train, y_train), 64, shuffle=False, drop_last=True)
    valid_dl = DataLoader(TensorDataset(x_valid, y_valid), 128, drop_last=True)
    loss_func = nn.CrossEntropyLoss()
    for var_w in [float(v) for v in a.var_w.split(",")]:
        torch.manual_seed(0)
        model = build_wide_network(a.depth, var_w, a.var_b)
        opt = optim.SGD(model.parameters(), 0.005, 0.8)
        for epoch in range(a.epochs):
            model.train()
            for xb, yb in train_dl:
                loss = loss_func(model(xb), yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
            model.eval()
            with torch.no_grad():
                losses = [(loss_func(model(xb), yb).item(), len(xb)) for xb, yb in valid_dl]
                val_loss = sum(l * n for l, n in losses) / sum(n for _, n in losses)
                accs = [(torch.argmax(model(xb), 1) == yb).float().mean().item() for xb, yb in valid_dl]
                val_acc = sum(accs) / len(accs)
            print(f"var_w {var_w} depth {a.depth} epoch {epoch}: val_loss {val_loss:.4f} val_acc {val_acc:.4f}",
                  flush=True)
    print(json.dumps({"impl": "torch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "depth": a.depth, "models": len(a.var_w.split(",")), "seconds": time.time() - start}))


if __name__ == "__main__":
    main()
