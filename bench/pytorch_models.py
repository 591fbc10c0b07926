#!/usr/bin/python3
"""The benchmark's models in PyTorch, timed the way bench/engineWorker.ts times Denoise Lab's engines.

One model per process (so the peak resident memory is this model's), on random data of the model's image
shape (pixels uniform in [0,1]); prints one JSON line. Run by bench/bench.ts:
  /usr/bin/python3 bench/pytorch_models.py --model NAME --samples N --warmup-batches N --threads N [--channels-last]

  dense          784-642-500-642-784, ReLU, sigmoid output, SGD lr 1, batch 256, MSE
  cnn            DnCNN-style: 4 conv 3x3 layers of 32 channels with ReLU, a 3x3 conv to 1 channel that estimates
                 the noise, subtracted from the input; Adam lr 0.001, batch 128, MSE
  conv           convolutional autoencoder 32-64 (3x3 stride-2 convolutions, 3x3 stride-2 transposed ones, ReLU,
                 a 1x1 sigmoid output), 28x28, Adam, batch 64, BCE
  unet           U-Net 16 filters, 2 levels (two 3x3 ReLU convolutions per stage, 2x2 max-pooling, 2x2 stride-2
                 transposed convolutions, skips joined), 1x1 sigmoid output, 28x28, Adam, batch 64, BCE
  vae            VAE 784-512-256, latent 16, ReLU, sigmoid output, Adam, batch 64, BCE + KL
  dncnn17        DnCNN-17: 3x3 conv 1->64 + ReLU, 15 x (3x3 conv 64->64 without bias, batch norm, ReLU), 3x3 conv
                 64->1, subtracted from the input; 40x40 gray patches, Adam, batch 64, MSE
  unet-color     U-Net 32 filters, 3 levels, 64x64 colour patches (3 channels in and out), Adam, batch 16, MSE
  dncnn17-infer  DnCNN-17 (eval mode) on one 512x512 gray image at a time; samples are images
  dncnn17-apply  DnCNN-17 (eval mode) on one 12-megapixel (4000x3000) gray image, whole: PyTorch's fastest way
                 when memory allows (no tile overlap), against Denoise Lab's `denoise apply` of a file
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


def conv_relu(cin, cout, **kw):
    return [nn.Conv2d(cin, cout, 3, padding=1, **kw), nn.ReLU(inplace=True)]


class ConvAutoencoder(nn.Module):
    def __init__(self, filters=(32, 64)):
        super().__init__()
        layers, c = [], 1
        for f in filters:
            layers += [nn.Conv2d(c, f, 3, stride=2, padding=1), nn.ReLU(inplace=True)]
            c = f
        for f in reversed(filters):
            layers += [nn.ConvTranspose2d(c, f, 3, stride=2, padding=1, output_padding=1), nn.ReLU(inplace=True)]
            c = f
        layers += [nn.Conv2d(c, 1, 1), nn.Sigmoid()]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x)


class Unet(nn.Module):
    def __init__(self, filters, levels, channels):
        super().__init__()
        self.down, self.up, self.join = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        c = channels
        for level in range(levels):
            f = filters * 2 ** level
            self.down.append(nn.Sequential(*conv_relu(c, f), *conv_relu(f, f)))
            c = f
        f = filters * 2 ** levels
        self.bottom = nn.Sequential(*conv_relu(c, f), *conv_relu(f, f))
        c = f
        for level in reversed(range(levels)):
            f = filters * 2 ** level
            self.up.append(nn.ConvTranspose2d(c, f, 2, stride=2))
            self.join.append(nn.Sequential(*conv_relu(2 * f, f), *conv_relu(f, f)))
            c = f
        self.out = nn.Conv2d(c, channels, 1)

    def forward(self, x):
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
            x = nn.functional.max_pool2d(x, 2)
        x = self.bottom(x)
        for up, join in zip(self.up, self.join):
            x = join(torch.cat([skips.pop(), up(x)], 1))
        return torch.sigmoid(self.out(x))


class Dncnn17(nn.Module):
    def __init__(self, depth=17, filters=64):
        super().__init__()
        layers = conv_relu(1, filters)
        for _ in range(depth - 2):
            # Keras' momentum 0.99 and epsilon 1e-3, as the project's BatchNormalization layers have them.
            layers += [nn.Conv2d(filters, filters, 3, padding=1, bias=False),
                       nn.BatchNorm2d(filters, momentum=0.01, eps=1e-3), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(filters, 1, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return x - self.body(x)


class Vae(nn.Module):
    def __init__(self, sizes=(512, 256), latent=16, pixels=784):
        super().__init__()
        enc, c = [], pixels
        for s in sizes:
            enc += [nn.Linear(c, s), nn.ReLU()]
            c = s
        self.encoder = nn.Sequential(*enc)
        self.mu, self.sigma = nn.Linear(c, latent), nn.Linear(c, latent)
        dec, c = [], latent
        for s in reversed(sizes):
            dec += [nn.Linear(c, s), nn.ReLU()]
            c = s
        dec += [nn.Linear(c, pixels), nn.Sigmoid()]
        self.decoder = nn.Sequential(*dec)

    def forward(self, x):
        h = self.encoder(x)
        mu, sigma = self.mu(h), nn.functional.softplus(self.sigma(h))
        z = mu + sigma * torch.randn_like(sigma)
        kl = (0.5 * (mu ** 2 + sigma ** 2 - 2 * torch.log(sigma + 1e-7) - 1)).sum(1).mean() / x.shape[1]
        return self.decoder(z), kl


# name: (image shape per sample, batch, loss)
SHAPES = {
    'dense': ((784,), 256, 'mse'), 'cnn': ((784,), 128, 'mse'), 'conv': ((1, 28, 28), 64, 'bce'),
    'unet': ((1, 28, 28), 64, 'bce'), 'vae': ((784,), 64, 'bce'), 'dncnn17': ((1, 40, 40), 64, 'mse'),
    'unet-color': ((3, 64, 64), 16, 'mse'), 'dncnn17-infer': ((1, 512, 512), 1, 'none'),
    'dncnn17-apply': ((1, 3000, 4000), 1, 'none'),
}


def build(model):
    adam = lambda net: torch.optim.Adam(net.parameters(), lr=0.001)
    if model == 'conv':
        net = ConvAutoencoder()
        return net, adam(net), 64
    if model == 'unet':
        net = Unet(16, 2, 1)
        return net, adam(net), 64
    if model == 'unet-color':
        net = Unet(32, 3, 3)
        return net, adam(net), 16
    if model in ('dncnn17', 'dncnn17-infer', 'dncnn17-apply'):
        net = Dncnn17()
        return net, adam(net), SHAPES[model][1]
    if model == 'vae':
        net = Vae()
        return net, adam(net), 64
    if model == 'dense':
        sizes = [784, 642, 500, 642, 784]
        layers = []
        for i in range(4):
            layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.Sigmoid() if i == 3 else nn.ReLU()]
        net = nn.Sequential(*layers)
        return net, torch.optim.SGD(net.parameters(), lr=1.0), 256
    net = ResidualCnn()
    return net, torch.optim.Adam(net.parameters(), lr=0.001), 128


def train(net, optimizer, inputs, targets, batch, loss_kind, memory_format):
    loss_fn = nn.BCELoss() if loss_kind == 'bce' else nn.MSELoss()
    order = torch.randperm(len(inputs))
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        x, y = inputs[idx].contiguous(memory_format=memory_format), targets[idx].contiguous(memory_format=memory_format)
        optimizer.zero_grad()
        out = net(x)
        loss = loss_fn(out[0], y) + out[1] if isinstance(out, tuple) else loss_fn(out, y)
        loss.backward()
        optimizer.step()
        float(loss)  # the loss is read every step, as Denoise Lab's trainer does


def infer(net, inputs, memory_format):
    with torch.no_grad():
        for i in range(len(inputs)):
            float(net(inputs[i:i + 1].contiguous(memory_format=memory_format)).sum())


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', choices=list(SHAPES), required=True)
    p.add_argument('--samples', type=int, required=True)
    p.add_argument('--warmup-batches', type=int, default=3)
    p.add_argument('--threads', type=int, required=True)
    p.add_argument('--channels-last', action='store_true', help='NHWC tensors and weights (torch.channels_last)')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net, optimizer, batch = build(args.model)
    shape, _, loss_kind = SHAPES[args.model]
    memory_format = torch.channels_last if args.channels_last and len(shape) == 3 else torch.contiguous_format
    net = net.to(memory_format=memory_format)
    inputs = torch.rand(args.samples, *shape)
    targets = inputs if loss_kind == 'none' else torch.rand(args.samples, *shape)
    warm = min(args.samples, args.warmup_batches * batch)
    if loss_kind == 'none':
        net.eval()
        if warm:
            infer(net, inputs[:warm], memory_format)
        started = time.perf_counter()
        infer(net, inputs, memory_format)
    else:
        if warm:
            train(net, optimizer, inputs[:warm], targets[:warm], batch, loss_kind, memory_format)
        started = time.perf_counter()
        train(net, optimizer, inputs, targets, batch, loss_kind, memory_format)
    seconds = time.perf_counter() - started
    print(json.dumps(dict(ok=True, backend=f'torch {torch.__version__}', threads=torch.get_num_threads(), samples=args.samples,
                          seconds=seconds, samplesPerSecond=args.samples / seconds,
                          peakRssMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))


if __name__ == '__main__':
    main()
