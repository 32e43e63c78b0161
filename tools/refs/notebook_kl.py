#!/usr/bin/python3
"""The reference notebooks' file layout and relative-entropy formula, re-implemented for cross-checks.

Reads (never copies) ro-jefferson/entropy_dnn at its latest commit (f3fdcb8, 2023-09-11):
  * Gaussian_Feedforward.ipynb, fit()/write_hooks()/write_parameters()/write_accuracies(): file names
    e{k}-hooks-{tag}-{depth}.hdf5, e{k}-para-..., acc-{tag}-{depth}.hdf5 for 0-based epochs k = 0, E-1;
    datasets var_weight, var_bias, depth, in-{l} (batch x width float32), W{l} (out x in), B{l}.
  * Relative_Entropy.ipynb, load_data()/extract_preacts()/extract_parameters(): layers sorted by their
    numeric key, the LAST row of each in-{l}; KL_divergence(): since 2021-12-03 the Q term is divided by
    2 sigma_m^2 (np.std(preacts[m])**2), before it by 2 sigma_0^2.
The notebook's per-element Python loops are written here with numpy (same sums): the Q term is the
Monte Carlo mean over samples s of X_s = ||W_m tanh(z^{m-1}_s) + b_m - mu_m||^2.

Modes (output: JSON on stdout):
  write DIR --depth L --epochs E --var-w W[,W...] [--var-b B] [--seed S]
      writes a directory as the notebook's writer does (wide network, random inputs as the "validation
      batch", a perturbation of the weights standing in for training)
  kl DIR --depth L --var-w W[,W...] --epoch K [--form current|2021] [--samples M] [--seed S]
      loads acc/e{K}-hooks/e{K}-para with the notebook's loaders and prints, per var_w, the notebook's
      KL per layer and its Monte Carlo standard error std(X_s, ddof=1) / sqrt(M) / (2 sigma^2)
Needs numpy and h5py (Debian: python3-numpy, python3-h5py).
"""
import argparse
import json
import math
import os

import h5py
import numpy as np


# ---------------------------------------------------------------- writer (Gaussian_Feedforward.ipynb)

def build_wide(depth, var_w, var_b, rng):
    widths = [784] * (depth - 1) + [400, 10]
    ws, bs = [], []
    for i in range(depth):
        ws.append(rng.normal(0.0, math.sqrt(var_w / widths[i]), (widths[i + 1], widths[i])).astype(np.float32))
        bs.append(rng.normal(0.0, math.sqrt(var_b), widths[i + 1]).astype(np.float32))
    return ws, bs


def forward_preacts(ws, bs, x):
    pre = []
    for w, b in zip(ws, bs):
        z = x @ w.T + b
        pre.append(z.astype(np.float32))
        x = np.tanh(z)
    return pre


def write_dir(d, depth, epochs, var_ws, var_b, seed):
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(seed)
    batch = rng.random((128, 784), dtype=np.float32)  # the last validation batch the hooks see
    for var_w in var_ws:
        tag = '{}-{}'.format(int(round(100 * var_w)), depth)
        ws, bs = build_wide(depth, var_w, var_b, rng)
        accs = []
        for epoch in range(epochs):
            # "training": a small perturbation per epoch
            ws = [w + rng.normal(0, 1e-3, w.shape).astype(np.float32) for w in ws]
            accs.append(0.1 + 0.1 * epoch)
            if epoch == 0 or epoch == epochs - 1:
                pre = forward_preacts(ws, bs, batch)
                with h5py.File(os.path.join(d, 'e{}-para-{}.hdf5'.format(epoch, tag)), 'w') as f:
                    f.create_dataset('var_weight', data=var_w)
                    f.create_dataset('var_bias', data=var_b)
                    f.create_dataset('depth', data=np.int64(depth))
                    for i in range(depth):
                        f.create_dataset('W{}'.format(i), data=ws[i])
                        f.create_dataset('B{}'.format(i), data=bs[i])
                with h5py.File(os.path.join(d, 'e{}-hooks-{}.hdf5'.format(epoch, tag)), 'w') as f:
                    f.create_dataset('var_weight', data=var_w)
                    f.create_dataset('var_bias', data=var_b)
                    f.create_dataset('depth', data=np.int64(depth))
                    for i in range(depth):
                        f.create_dataset('in-{}'.format(i), data=pre[i])
        with h5py.File(os.path.join(d, 'acc-{}.hdf5'.format(tag)), 'w') as f:
            f.create_dataset('var_weight', data=var_w)
            f.create_dataset('var_bias', data=var_b)
            f.create_dataset('depth', data=np.int64(depth))
            f.create_dataset('accuracies', data=np.array(accs))
    return {'dir': d}


# ---------------------------------------------------------------- loader (Relative_Entropy.ipynb)

def read_all(path):
    with h5py.File(path, 'r') as f:
        return {k: np.array(f[k]) for k in f.keys()}


def extract_preacts(hooks):
    keys = [k for k in hooks.keys() if k.startswith('in')]
    keys.sort(key=lambda k: int(k.split('-')[1]))
    return [hooks[k][-1] for k in keys]  # last element, as the notebook


def extract_parameters(para):
    wk = sorted([k for k in para if k.startswith('W')], key=lambda k: int(k.split('W')[1]))
    bk = sorted([k for k in para if k.startswith('B')], key=lambda k: int(k.split('B')[1]))
    return [para[k] for k in wk], [para[k] for k in bk]


def load_data(d, acc_file, hook_file, para_file):
    acc = read_all(os.path.join(d, acc_file))
    hooks = read_all(os.path.join(d, hook_file))
    para = read_all(os.path.join(d, para_file))
    for key in ('var_weight', 'var_bias', 'depth'):
        vals = [acc[key].item(), hooks[key].item(), para[key].item()]
        if not all(v == vals[0] for v in vals):
            raise Exception('mismatched {} in data files'.format(key))
    preacts = extract_preacts(hooks)
    weights, biases = extract_parameters(para)
    return {'depth': int(hooks['depth'].item()), 'preacts': preacts, 'weights': weights, 'biases': biases,
            'accuracies': acc['accuracies']}


def kl_divergence(weights, biases, preacts, num_samples, form, rng):
    def entropy(layer):
        return math.log(2 * math.pi * math.e * np.std(layer) ** 2) * (layer.shape[0] / 2)

    term1 = -entropy(preacts[0])
    result, se = [0.0], [0.0]
    phi = None
    var0 = np.std(preacts[0]) ** 2
    for m in range(1, len(preacts)):
        if m == 1:
            mean, std = np.mean(preacts[0]), np.std(preacts[0])
            phi = np.tanh(rng.normal(mean, std, (num_samples, len(preacts[0]))))  # samples x width
        else:
            phi = np.tanh(phi @ weights[m - 1].T.astype(np.float64) + biases[m - 1])  # phi_new(m-1, phi)
        z = phi @ weights[m].T.astype(np.float64) + biases[m]
        x = np.sum((z - np.mean(preacts[m])) ** 2, axis=1)  # X_s
        cov = np.std(preacts[m]) ** 2 if form == 'current' else var0
        term2 = entropy(preacts[m]) - preacts[m].shape[0] / 2
        result.append(term1 + term2 + np.mean(x) / (2 * cov))
        se.append(float(np.std(x, ddof=1) / math.sqrt(num_samples) / (2 * cov)))
    return result, se


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['write', 'kl'])
    p.add_argument('dir')
    p.add_argument('--depth', type=int, required=True)
    p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--epoch', type=int, default=0)
    p.add_argument('--var-w', required=True)
    p.add_argument('--var-b', type=float, default=0.05)
    p.add_argument('--form', default='current', choices=['current', '2021'])
    p.add_argument('--samples', type=int, default=1000)
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    var_ws = [float(v) for v in a.var_w.split(',')]
    if a.mode == 'write':
        print(json.dumps(write_dir(a.dir, a.depth, a.epochs, var_ws, a.var_b, a.seed)))
        return
    rng = np.random.default_rng(a.seed)
    out = {}
    for var_w in var_ws:
        tag = '{}-{}'.format(int(round(100 * var_w)), a.depth)
        prefix = 'e{}-'.format(a.epoch)
        data = load_data(a.dir, 'acc-' + tag + '.hdf5', prefix + 'hooks-' + tag + '.hdf5',
                         prefix + 'para-' + tag + '.hdf5')
        kl, se = kl_divergence(data['weights'], data['biases'], data['preacts'], a.samples, a.form, rng)
        out[tag] = {'KL': kl, 'se': se, 'widths': [int(x.shape[0]) for x in data['preacts']]}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
