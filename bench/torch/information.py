"""The reference algorithm of Guan et al. (ICML 2019), as its Interpreter.py runs it, on the
benchmark Transformer (models.py), timed; prints one JSON line.

Per sentence and layer: r ~ randn(seq, 1); each of `steps` Adam steps (lr 0.01) draws one noise
ε ~ N(0, I) [seq, D], x~ = x + scale * sigmoid(r) * ε, and minimises
    mean((Phi(x~) - Phi(x))^2 / s^2) - lambda * mean(log sigmoid(r)),
s being the per-dimension std of Phi over the sampled inputs (calculate_regularization; all
samples have the sentence's length, so no axis is averaged). The parameters are saved whenever
the loss is the lowest so far, right after that step's update, as the reference does; sigma is
scale * sigmoid(r) of the saved r. One difference, for time only: Phi(x) is computed once
(the reference recomputes it, without gradient, at every step; the result is the same).

Phi(layer i) is the output of encoder layer i, i.e. ONNX '/layers.<i>/norm2/LayerNormalization_output_0'.

    /usr/bin/python3 bench/torch/information.py case.json --threads 2
case.json: {"x": [[...D] * seq], "samples": [[[...]]...], "layers": [0, 1], "scale": s,
            "lambda": 0.1, "lr": 0.01, "steps": 5000, "seed": 0}
"""
import argparse
import json
import time

import numpy as np
import torch

from models import build

parser = argparse.ArgumentParser()
parser.add_argument('case')
parser.add_argument('--threads', type=int, default=0)
args = parser.parse_args()
if args.threads:
    torch.set_num_threads(args.threads)
with open(args.case) as f:
    case = json.load(f)

model = build('transformer')
for p in model.parameters():
    p.requires_grad_(False)


def phi_of(depth):
    def phi(x):  # [seq, D] -> [seq, D]
        h = x.unsqueeze(0)
        for layer in model.layers[:depth + 1]:
            h = layer(h)
        return h[0]
    return phi


def regularization(samples, phi):
    with torch.no_grad():
        values = np.array([phi(torch.tensor(s, dtype=torch.float32)).numpy() for s in samples])
    return torch.tensor(np.std(values, axis=0), dtype=torch.float32)


def interpret(x, phi, s, scale, rate, steps, lr):
    seq, d = x.shape
    ratio = torch.nn.Parameter(torch.randn(seq, 1))
    optimizer = torch.optim.Adam([ratio], lr=lr)
    with torch.no_grad():
        clean = phi(x)
    best_loss, best_ratio = None, None
    for _ in range(steps):
        optimizer.zero_grad()
        ratios = torch.sigmoid(ratio)
        x_tilde = x + ratios * torch.randn(seq, d) * scale
        loss = torch.mean((phi(x_tilde) - clean) ** 2 / s ** 2) - torch.mean(torch.log(ratios)) * rate
        loss.backward()
        optimizer.step()
        if best_loss is None or best_loss > loss:
            best_loss, best_ratio = loss.item(), ratio.detach().clone()
    return (torch.sigmoid(best_ratio)[:, 0] * scale).tolist(), best_loss


torch.manual_seed(case.get('seed', 0))
x = torch.tensor(case['x'], dtype=torch.float32)
out = []
for depth in case['layers']:
    phi = phi_of(depth)
    s = regularization(case['samples'], phi)
    t0 = time.perf_counter()
    sigma, best = interpret(x, phi, s, case['scale'], case.get('lambda', 0.1), case.get('steps', 5000), case.get('lr', 0.01))
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        clean = phi(x).reshape(-1).tolist()
    out.append({'layer': depth, 'sigma': sigma, 'best_loss': best, 'seconds': seconds, 'clean': clean})
print(json.dumps({'layers': out, 'threads': torch.get_num_threads(), 'torch': torch.__version__}))
