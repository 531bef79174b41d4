"""PyTorch doing the work of IG-N: one batched forward + backward over N interpolation points
per input (the input gradient of logits[:, target]), timed; prints one JSON line.

    /usr/bin/python3 bench/torch/ig_work.py lenet --batch 32 --steps 50
    /usr/bin/python3 bench/torch/ig_work.py transformer --seq 512 --steps 50
"""
import argparse
import json
import resource
import time

import torch

from models import build

parser = argparse.ArgumentParser()
parser.add_argument('model')
parser.add_argument('--batch', type=int, default=1)
parser.add_argument('--seq', type=int, default=32)
parser.add_argument('--steps', type=int, default=50)
parser.add_argument('--chunk', type=int, default=0, help='rows per forward/backward (0: all at once)')
parser.add_argument('--threads', type=int, default=0)
args = parser.parse_args()
if args.threads:
    torch.set_num_threads(args.threads)

model = build(args.model)
shape = (1, 28, 28) if args.model == 'lenet' else (args.seq, 64)
torch.manual_seed(1)
inputs = torch.randn(args.batch, *shape)
alphas = (torch.arange(args.steps, dtype=torch.float32) + 0.5) / args.steps


def work():
    rows = (alphas.view(-1, *([1] * (1 + len(shape)))) * inputs.unsqueeze(0)).reshape(-1, *shape)
    chunk = args.chunk or rows.shape[0]
    total = 0.0
    for start in range(0, rows.shape[0], chunk):
        x = rows[start:start + chunk].clone().requires_grad_(True)
        out = model(x)
        out[:, 1].sum().backward()
        total += float(x.grad.abs().sum())
    return total


# Warm up, then repeat for about two seconds (at least 5, at most 30 runs), like the glassbox side.
work()
work()
t0 = time.perf_counter()
work()
first_ms = (time.perf_counter() - t0) * 1000
repeats = max(5, min(30, int(2000 / max(first_ms, 1e-3)) + 1))
samples = []
for _ in range(repeats):
    t = time.perf_counter()
    work()
    samples.append((time.perf_counter() - t) * 1000)
samples.sort()
print(json.dumps({'median_ms': samples[len(samples) // 2], 'min_ms': samples[0],
                  'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  'threads': torch.get_num_threads(), 'torch': torch.__version__}))
