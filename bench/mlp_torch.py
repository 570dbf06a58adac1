#!/usr/bin/env python3
"""torch 1.13, one thread: ms per epoch of the bench/mlp.js network (inputs → 64 → 64 → 1
relu, Adam lr 0.001, MSE, shuffled mini-batches as a DataLoader-free loop).
Usage: python3 bench/mlp_torch.py ROWS COLS BATCH EPOCHS  → prints {"msPerEpoch": …}"""
import json
import sys
import time

import torch

rows, cols, batch, epochs = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.rand(rows, cols)
y = x.sum(dim=1, keepdim=True)
net = torch.nn.Sequential(torch.nn.Linear(cols, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
opt = torch.optim.Adam(net.parameters(), lr=0.001)


def epoch():
    order = torch.randperm(rows)
    for start in range(0, rows, batch):
        idx = order[start:start + batch]
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x[idx]), y[idx])
        loss.backward()
        opt.step()


epoch()
best = float('inf')
for _ in range(3):
    t = time.perf_counter()
    for _ in range(epochs):
        epoch()
    best = min(best, (time.perf_counter() - t) / epochs * 1000)
print(json.dumps({'msPerEpoch': best, 'torch': torch.__version__}))
