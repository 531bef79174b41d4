"""The benchmark models, built identically (fixed seeds) for PyTorch and exported for glassbox.

Run with Debian's python3 (apt install python3-torch python3-onnx):
    /usr/bin/python3 bench/torch/models.py        # (re)writes bench/models/*.onnx
"""
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, '..', 'models')


class LeNet(nn.Module):
    """LeNet-5 on 1x28x28: conv 6@5x5 (pad 2) - relu - maxpool - conv 16@5x5 - relu - maxpool - 120 - 84 - 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class Encoder(nn.Module):
    """2-layer Transformer encoder over embeddings [batch, seq, 64] (4 heads, FF 256, GELU),
    mean-pooled, 2 classes. Its input is the embedding tensor: IG integrates along it."""

    def __init__(self, d=64):
        super().__init__()
        layers = []
        for i in range(2):
            torch.manual_seed(100 + i)
            layers.append(nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, activation='gelu', batch_first=True))
        self.layers = nn.ModuleList(layers)
        self.head = nn.Linear(d, 2)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x.mean(dim=1))


def build(name):
    torch.manual_seed(0)
    model = LeNet() if name == 'lenet' else Encoder()
    return model.eval()


def export(name):
    model = build(name)
    path = os.path.join(MODELS, f'{name}.onnx')
    with torch.enable_grad():  # keeps TransformerEncoderLayer off its untraceable fast path
        for p in model.parameters():
            p.requires_grad_(True)
        if name == 'lenet':
            example, axes = torch.randn(2, 1, 28, 28), {'input': {0: 'batch'}, 'logits': {0: 'batch'}}
        else:
            example, axes = torch.randn(2, 16, 64), {'input': {0: 'batch', 1: 'seq'}, 'logits': {0: 'batch'}}
        torch.onnx.export(model, example, path, input_names=['input'], output_names=['logits'],
                          dynamic_axes=axes, opset_version=17)
    print('wrote', path)


if __name__ == '__main__':
    os.makedirs(MODELS, exist_ok=True)
    for n in sys.argv[1:] or ['lenet', 'transformer']:
        export(n)
