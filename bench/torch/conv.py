"""The conv benchmark's PyTorch side (bench/conv.ts): one convolution forward + backward (dx and
dw), at 1 and 2 threads; then SGEMM GFLOP/s at 1 thread in one process alone and in two
processes at once.

    /usr/bin/python3 bench/torch/conv.py '{"batch":64,"inChannels":16,"outChannels":32,"size":14,"kernel":5}'

Prints one JSON line: {"conv": {threads: ms}, "gemm": {"alone": gflops, "together": [gflops, gflops]}}.
"""
import json
import subprocess
import sys
import time

import torch
import torch.nn.functional as F


def gemm_gflops():
    torch.set_num_threads(1)
    a, b = torch.randn(512, 512), torch.randn(512, 512)
    for _ in range(5):
        a @ b
    n, start = 300, time.perf_counter()
    for _ in range(n):
        a @ b
    return 2 * 512 ** 3 * n / (time.perf_counter() - start) / 1e9


def conv_ms(shape, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    n, ci, co, h, k = shape['batch'], shape['inChannels'], shape['outChannels'], shape['size'], shape['kernel']
    x = torch.randn(n, ci, h, h, requires_grad=True)
    w = (0.1 * torch.randn(co, ci, k, k)).requires_grad_()
    r = torch.randn(n, co, h, h)
    samples = []
    for i in range(35):
        start = time.perf_counter()
        x.grad = w.grad = None
        (F.conv2d(x, w, padding=(k - 1) // 2) * r).sum().backward()
        if i >= 5:
            samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[len(samples) // 2]


if __name__ == '__main__':
    if sys.argv[1] == 'gemm':
        print(gemm_gflops())
        sys.exit(0)
    shape = json.loads(sys.argv[1])
    conv = {threads: conv_ms(shape, threads) for threads in (1, 2)}
    alone = gemm_gflops()
    pair = [subprocess.Popen([sys.executable, __file__, 'gemm'], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    together = [float(p.communicate()[0]) for p in pair]
    print(json.dumps({'conv': conv, 'gemm': {'alone': alone, 'together': together}}))
