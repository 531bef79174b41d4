"""Integrated Gradients in PyTorch as Captum computes it (Captum cannot be installed offline, so
its algorithm is written out): Gauss-Legendre nodes and weights on [0, 1], all n_steps points of
every input in one batch by default (Captum's internal_batch_size=None), or in chunks of
--chunk rows (Captum's internal_batch_size), then the convergence delta. Prints one JSON line.

    /usr/bin/python3 bench/torch/ig.py transformer --seq 512 --steps 50 [--chunk 16]
"""
import argparse
import json
import resource
import time

import numpy as np
import torch

from models import build

parser = argparse.ArgumentParser()
parser.add_argument('model')
parser.add_argument('--batch', type=int, default=1)
parser.add_argument('--seq', type=int, default=32)
parser.add_argument('--steps', type=int, default=50)
parser.add_argument('--chunk', type=int, default=0, help='rows per forward/backward (0: all points at once, Captum\'s default)')
parser.add_argument('--threads', type=int, default=2)
args = parser.parse_args()
torch.set_num_threads(args.threads)

model = build(args.model)
shape = (1, 28, 28) if args.model == 'lenet' else (args.seq, 64)
torch.manual_seed(1)
x = torch.randn(args.batch, *shape)
baseline = torch.zeros_like(x)
nodes, w = np.polynomial.legendre.leggauss(args.steps)
alphas = torch.tensor(0.5 * (nodes + 1), dtype=torch.float32)
weights = torch.tensor(0.5 * w, dtype=torch.float32)
target = 1


def ig():
    # Step-major points as Captum lays them: all rows at alpha_0, then at alpha_1, ...
    points = (baseline.unsqueeze(0) + alphas.view(-1, *([1] * x.dim())) * (x - baseline).unsqueeze(0)).reshape(-1, *shape)
    chunk = args.chunk or points.shape[0]
    grads = []
    for start in range(0, points.shape[0], chunk):
        p = points[start:start + chunk].clone().requires_grad_(True)
        out = model(p)[:, target]
        grads.append(torch.autograd.grad(out.sum(), p)[0])
    g = torch.cat(grads).view(args.steps, args.batch, *shape)
    attributions = (g * weights.view(-1, *([1] * x.dim()))).sum(0) * (x - baseline)
    with torch.no_grad():
        delta = attributions.flatten(1).sum(1) - (model(x)[:, target] - model(baseline)[:, target])
    return attributions, delta


ig()
t0 = time.perf_counter()
_, delta = ig()
first_ms = (time.perf_counter() - t0) * 1000
repeats = max(3, min(20, int(3000 / max(first_ms, 1e-3)) + 1))
samples = []
for _ in range(repeats):
    t = time.perf_counter()
    ig()
    samples.append((time.perf_counter() - t) * 1000)
samples.sort()
print(json.dumps({'median_ms': samples[len(samples) // 2], 'min_ms': samples[0],
                  'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'max_abs_delta': float(delta.abs().max()), 'torch': torch.__version__}))
