"""Training steps per second in PyTorch eager for the recipes glassbox trains (bench/train.ts).

The models are written out by hand to match src/train/recipes exactly (layer sizes, padding,
pre-LN blocks, GELU with erf, learned positions, PAD-masked attention and mean pooling, dropout
where the recipe has it); the optimizer is torch.optim.AdamW with glassbox's defaults (lr 1e-3,
weight decay 0.01); the batches are the ones glassbox trains on, read from raw files.

    /usr/bin/python3 bench/torch/train.py spec.json     (bench/train.ts writes spec.json)

Prints one JSON line: {"stepsPerSecond": [...], "losses": [...]} (one rate per repeat).
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def cnn(classes):
    """The 'cnn' recipe's defaults: 2 blocks (conv 5x5 same -> ReLU -> 2x2 max pool) of 16 and 32
    channels, one hidden layer of 128, no BatchNorm, no dropout."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, classes))


class Transformer(nn.Module):
    """The 'transformer' recipe's defaults: d 64, 4 heads, 2 pre-LN layers, FF 128 (GELU),
    dropout 0.1, token + learned position embeddings, final LayerNorm, mean over non-PAD tokens."""

    def __init__(self, vocabulary, seq, classes, d=64, heads=4, layers=2, ff=128, p=0.1):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, d)
        self.position = nn.Parameter(torch.randn(seq, d) * 0.02)
        self.dropout = nn.Dropout(p)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d, heads, ff, dropout=p, activation='gelu', batch_first=True, norm_first=True)
            for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.classifier = nn.Linear(d, classes)

    def forward(self, ids):
        valid = ids != 0
        x = self.dropout(self.embedding(ids) + self.position[: ids.shape[1]])
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=~valid)
        x = self.norm(x)
        v = valid.unsqueeze(2).to(x.dtype)
        return self.classifier((x * v).sum(1) / v.sum(1).clamp(min=1))


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    torch.set_num_threads(spec['threads'])
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    n = spec['examples']
    if spec['model'] == 'cnn':
        x = torch.from_numpy(np.fromfile(spec['inputs'], dtype=np.float32).reshape([n] + spec['shape']))
        model = cnn(spec['classes'])
    else:
        x = torch.from_numpy(np.fromfile(spec['inputs'], dtype=np.int64).reshape([n] + spec['shape']))
        model = Transformer(spec['vocabulary'], spec['shape'][0], spec['classes'])
    y = torch.from_numpy(np.fromfile(spec['labels'], dtype=np.int64))
    rates, losses = [], []
    for _ in range(spec['repeats']):
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
        model.train()
        start = None
        for step in range(spec['warmup'] + spec['steps']):
            if step == spec['warmup']:
                start = time.perf_counter()
            first = (step * spec['batch']) % n
            batch = slice(first, first + spec['batch'])
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        rates.append(spec['steps'] / (time.perf_counter() - start))
    print(json.dumps({'stepsPerSecond': rates, 'losses': losses[-3:], 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
