#!/usr/bin/python3
"""The benchmark's two models in PyTorch, timed the way bench/engineWorker.ts times Denoise Lab's engines.

One model per process (so the peak resident memory is this model's), on MNIST-shaped random data
(28x28, pixels uniform in [0,1]); prints one JSON line. Run by bench/bench.ts:
  /usr/bin/python3 bench/pytorch_models.py --model dense|cnn --samples N --warmup-batches N --threads N

  dense  784-642-500-642-784, ReLU, sigmoid output, SGD lr 1, batch 256, MSE
  cnn    DnCNN-style: 4 conv 3x3 layers of 32 channels with ReLU, a 3x3 conv to 1 channel that estimates
         the noise, subtracted from the input; Adam lr 0.001, batch 128, MSE
"""
import argparse
import json
import resource
import time

import torch
from torch import nn


class ResidualCnn(nn.Module):
    def __init__(self, depth=5, filters=32):
        super().__init__()
        layers, channels = [], 1
        for _ in range(depth - 1):
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU()]
            channels = filters
        layers.append(nn.Conv2d(channels, 1, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        image = x.view(-1, 1, 28, 28)
        return (image - self.body(image)).view(-1, 784)


def build(model):
    if model == 'dense':
        sizes = [784, 642, 500, 642, 784]
        layers = []
        for i in range(4):
            layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.Sigmoid() if i == 3 else nn.ReLU()]
        net = nn.Sequential(*layers)
        return net, torch.optim.SGD(net.parameters(), lr=1.0), 256
    net = ResidualCnn()
    return net, torch.optim.Adam(net.parameters(), lr=0.001), 128


def train(net, optimizer, inputs, targets, batch):
    loss_fn = nn.MSELoss()
    order = torch.randperm(len(inputs))
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        optimizer.zero_grad()
        loss = loss_fn(net(inputs[idx]), targets[idx])
        loss.backward()
        optimizer.step()
        float(loss)  # the loss is read every step, as Denoise Lab's trainer does


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', choices=['dense', 'cnn'], required=True)
    p.add_argument('--samples', type=int, required=True)
    p.add_argument('--warmup-batches', type=int, default=3)
    p.add_argument('--threads', type=int, required=True)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net, optimizer, batch = build(args.model)
    inputs, targets = torch.rand(args.samples, 784), torch.rand(args.samples, 784)
    warm = min(args.samples, args.warmup_batches * batch)
    if warm:
        train(net, optimizer, inputs[:warm], targets[:warm], batch)
    started = time.perf_counter()
    train(net, optimizer, inputs, targets, batch)
    seconds = time.perf_counter() - started
    print(json.dumps(dict(ok=True, backend=f'torch {torch.__version__}', threads=torch.get_num_threads(), samples=args.samples,
                          seconds=seconds, samplesPerSecond=args.samples / seconds,
                          peakRssMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))


if __name__ == '__main__':
    main()
