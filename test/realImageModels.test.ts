import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { loadConfig } from '../src/core/config/loadConfig';
import type { RealImage } from '../src/core/data/realImage';
import { initEngine } from '../src/core/engine/selectEngine';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { PSNR_CAP_DB } from '../src/core/metrics/psnr';
import { realImagePsnr, realImageQuality, realImageSsim } from '../src/core/metrics/realImageMetrics';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { padSymmetric, WholeImagePredictor } from '../src/core/models/wholeImagePredictor';
import type { TrainingEvent } from '../src/core/training/events';
import type { PerImageSummaryFields } from '../src/core/metrics/realImageEvaluation';
import type { RunSummary } from '../src/core/runs/runSummary';
import { TimeBudget } from '../src/core/training/timeBudget';
import { filterImage, nlmStrength } from '../src/core/baselines/imageBaselines';
import { noisyImage } from '../src/core/noise/imageNoise';
import { encodeRgb, grayPng, rgbBytes } from './helpers/imageFiles';

let tmp: string;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-real-models-'));
  await initEngine('cpu');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rgbImage = (width: number, height: number, f: (i: number) => number): RealImage => ({
  name: 'x.png',
  width,
  height,
  channels: 3,
  pixels: Float32Array.from({ length: width * height * 3 }, (_, i) => f(i)),
});

test('DnCNN, U-Net and the conv autoencoder take the channel count from the data', () => {
  const shapes: [string, number][] = [];
  const models: Model[] = [
    { type: 'dncnn', depth: 4, filters: 4, batchNorm: true },
    { type: 'unet', filters: 4, levels: 2 },
    { type: 'conv', filters: [4], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' },
  ];
  for (const model of models) {
    const net = buildDenoiser(model, { height: 8, width: 8, channels: 3 }, 1);
    const out = tf.tidy(() => net.predict(tf.zeros([2, 8 * 8 * 3])).shape);
    shapes.push([net.describe().split(',')[0], out[1] as number]);
    assert.equal(net.channels, 3);
    net.model.dispose();
  }
  assert.deepEqual(
    shapes.map((s) => s[1]),
    [192, 192, 192],
  );
  assert.match(shapes[0][0], /^DnCNN 4 conv layers x 4 \+ batch norm$/);
});

test('a patch-trained model runs on whole images of any size, padded for the U-Net and cropped back', () => {
  const unet = buildDenoiser({ type: 'unet', filters: 4, levels: 2 }, { height: 8, width: 8, channels: 3 }, 2);
  const predictor = new WholeImagePredictor(unet, { type: 'unet', filters: 4, levels: 2 });
  const odd = rgbImage(13, 21, (i) => (i % 17) / 17);
  const out = predictor.predict(odd);
  assert.equal(out.length, 13 * 21 * 3);
  assert.ok(out.every((v) => v >= 0 && v <= 1));
  // On an image of the patch size the copy computes what the trained model does.
  const patch = rgbImage(8, 8, (i) => (i % 5) / 5);
  const direct = tf.tidy(() => unet.predict(tf.tensor2d(patch.pixels, [1, 192])).dataSync() as Float32Array);
  const whole = predictor.predict(patch);
  assert.ok(whole.every((v, i) => Math.abs(v - direct[i]) < 1e-5));
  // After training changes the weights, the whole-image copy follows them.
  unet.model.setWeights(unet.model.getWeights().map((w) => tf.mul(w, 0.5)));
  const changed = predictor.predict(patch);
  assert.ok(changed.some((v, i) => Math.abs(v - whole[i]) > 1e-4));
  predictor.dispose();
  unet.model.dispose();
});

test('symmetric padding mirrors the image past its bottom and right edges', () => {
  const image: RealImage = {
    name: 'p',
    width: 3,
    height: 2,
    channels: 1,
    pixels: Float32Array.from([1, 2, 3, 4, 5, 6]),
  };
  assert.deepEqual(Array.from(padSymmetric(image, 4, 5)), [1, 2, 3, 3, 2, 4, 5, 6, 6, 5, 4, 5, 6, 6, 5, 1, 2, 3, 3, 2]);
});

test('colour PSNR is over all RGB values; colour SSIM is the mean of the channels; a perfect image is capped', () => {
  const clean = rgbImage(16, 16, (i) => ((i * 7) % 13) / 13);
  const noisy = clean.pixels.map((v, i) => v + (i % 3 === 0 ? 0.1 : 0));
  // Only the red values are off by 0.1: MSE = 0.01 / 3.
  assert.ok(Math.abs(realImagePsnr(clean, noisy) - 10 * Math.log10(3 / 0.01)) < 1e-4);
  const { ssim } = realImageQuality(clean, noisy);
  const red = (p: Float32Array): RealImage => ({ ...clean, channels: 1, pixels: p.filter((_, i) => i % 3 === 0) });
  const redSsim = realImageSsim(red(clean.pixels), red(noisy).pixels);
  assert.ok(Math.abs(ssim - (redSsim + 1 + 1) / 3) < 1e-9, 'green and blue are exact');
  assert.deepEqual(realImageQuality(clean, clean.pixels), { mse: 0, psnr: PSNR_CAP_DB, ssim: 1 });
});

test('the time budget lets another epoch start only when it is expected to end within it', () => {
  const budget = new TimeBudget(1);
  const start = (budget as unknown as { startedAt: number }).startedAt;
  assert.equal(budget.allowsAnotherEpoch(1, start + 20_000), true, '20 s for one epoch: 40 s after the next');
  assert.equal(budget.allowsAnotherEpoch(2, start + 42_000), false, '21 s an epoch: the third would end at 63 s');
  assert.equal(new TimeBudget(0).allowsAnotherEpoch(5, start + 1e9), true, '0 is no limit');
});

async function writeFolders(colour: boolean): Promise<string> {
  const dir = fs.mkdtempSync(path.join(tmp, colour ? 'colour-' : 'gray-'));
  const f = (x: number, y: number, c: number) => ((Math.floor(x / 4) + Math.floor(y / 4) + c) % 2 ? 200 : 60);
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'train', `t${i}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      colour ? await encodeRgb(rgbBytes(24 + i, 20, f), 24 + i, 20, 'png') : grayPng(24 + i, 20, (x, y) => f(x, y, 0)),
    );
  }
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(path.join(dir, 'test', 'a.png'), await encodeRgb(rgbBytes(19, 13, f), 19, 13, 'png'));
  fs.writeFileSync(path.join(dir, 'test', 'b.png'), await encodeRgb(rgbBytes(16, 16, f), 16, 16, 'png'));
  return dir;
}

async function run(dir: string, overrides: string[]) {
  const file = path.join(__dirname, '..', 'examples', 'real-gray-sigma25.denoise.json');
  const loaded = loadConfig(file, [
    `dataset.trainFolder=${path.join(dir, 'train')}`,
    `dataset.testFolder=${path.join(dir, 'test')}`,
    'model.depth=3',
    'model.filters=4',
    'training.patchSize=8',
    'training.patchesPerEpoch=24',
    'training.batchSize=8',
    'training.epochs=2',
    'evaluation.sampleImages=1',
    `output.runsDir=${path.join(dir, 'runs')}`,
    'compute.engine=cpu',
    ...overrides,
  ]);
  const events: TrainingEvent[] = [];
  const { runDir } = await runExperiment(loaded, { onEvent: (e) => events.push(e) });
  // What the user finds in the run folder.
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary &
    PerImageSummaryFields;
  return { runDir, summary, events };
}

test('the gray example trains on patches and tests whole images: per-image table, protocol and baselines', async () => {
  const dir = await writeFolders(false);
  const { summary, runDir, events } = await run(dir, []);
  assert.equal(summary.status, 'completed', summary.message);
  assert.equal(summary.epochsCompleted, 2);
  const batches = events.filter((e) => e.type === 'batch');
  assert.equal(batches.length, 2 * 3, '24 patches per epoch in batches of 8');
  assert.ok(events.some((e) => e.type === 'log' && /24 random 8x8 patches per epoch/.test(e.message)));
  assert.deepEqual(
    summary.testImages?.map((r) => [r.name, r.width, r.height]),
    [
      ['a.png', 19, 13],
      ['b.png', 16, 16],
    ],
  );
  const row = summary.testImages![0];
  assert.ok(row.noisyInput.psnr > 15 && row.noisyInput.psnr < 25, `noisy PSNR ${row.noisyInput.psnr}`);
  assert.deepEqual(Object.keys(row.baselines), ['median', 'gaussian', 'nlm']);
  assert.deepEqual(
    summary.comparison?.map((c) => c.method),
    ['noisyInput', 'model', 'median', 'gaussian', 'nlm'],
  );
  const mean = summary.comparison![1].psnr;
  assert.ok(
    Math.abs(mean - (summary.testImages![0].model.psnr + summary.testImages![1].model.psnr) / 2) < 1e-9,
    'the mean of per-image PSNRs',
  );
  assert.deepEqual(
    { ...summary.testProtocol, psnr: undefined, ssim: undefined },
    {
      noise: 'Gaussian σ=25/255, not clipped',
      sigma255: 25,
      noiseSeed: 0,
      noisyInputClipped: false,
      noisyInputQuantized: false,
      channels: 1,
      images: 2,
      psnr: undefined,
      ssim: undefined,
    },
  );
  for (const view of ['clean', 'noisy', 'denoised'])
    assert.ok(fs.existsSync(path.join(runDir, 'test-images', `a.${view}.png`)), view);
});

test('the colour example runs a U-Net on RGB, test images of sides the pooling cannot take included', async () => {
  const dir = await writeFolders(true);
  const { summary } = await run(dir, [
    'dataset.channels=3',
    'model={"type":"unet","levels":2,"filters":4}',
    'evaluation.baselines=["nlm"]',
  ]);
  assert.equal(summary.status, 'completed', summary.message);
  assert.match(summary.model, /U-Net 2 levels from 4 filters, 3 channels/);
  assert.equal(summary.testProtocol?.channels, 3);
  assert.equal(summary.testImages?.length, 2);
  assert.ok(summary.testImages!.every((r) => Number.isFinite(r.model.psnr) && Number.isFinite(r.baselines.nlm.psnr)));
});

test('training.maxMinutes ends the run at an epoch boundary with everything written, and says so', async () => {
  const dir = await writeFolders(false);
  const { summary, runDir, events } = await run(dir, ['training.epochs=5', 'training.maxMinutes=0.0001']);
  assert.equal(summary.status, 'completed');
  assert.equal(summary.epochsCompleted, 1);
  assert.equal(summary.message, 'Trained 1 of 5 epochs: training.maxMinutes (0.0001) reached.');
  assert.ok(
    events.some(
      (e) => e.type === 'log' && e.message.startsWith('training.maxMinutes (0.0001) reached: ending after epoch 1'),
    ),
  );
  assert.equal(fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 1);
  assert.ok(summary.testImages && summary.testImages.length === 2);
});

test('non-local means on a colour image filters each channel, with h taken from the noise σ when known', () => {
  // Fine texture (2-pixel stripes, different per channel) under σ 25 noise: MNIST's fixed h of 0.25 averages
  // across the stripes; the σ-derived h (1.5σ/255) keeps them.
  const clean = rgbImage(48, 40, (i) => {
    const p = Math.floor(i / 3);
    const x = p % 48;
    const y = Math.floor(p / 48);
    return [Math.floor(x / 2) % 2, Math.floor(y / 2) % 2, Math.floor((x + y) / 3) % 2][i % 3] * 0.5 + 0.25;
  });
  const noise = {
    steps: [{ type: 'gaussian255', sigma: 25, blind: false, sigmaMin: 0, sigmaMax: 55 }],
    seed: 3,
    mode: 'fixed',
    clip: false,
    quantize: false,
  } as const;
  const noisy = noisyImage(clean, { ...noise, steps: [...noise.steps] }, 'test');
  const tuned = filterImage('nlm', noisy, 25);
  const fixed = filterImage('nlm', noisy);
  assert.equal(tuned.length, clean.pixels.length);
  const noisyPsnr = realImagePsnr(clean, noisy.pixels);
  assert.ok(realImagePsnr(clean, tuned) > noisyPsnr + 3, `tuned ${realImagePsnr(clean, tuned)} vs noisy ${noisyPsnr}`);
  assert.ok(realImagePsnr(clean, tuned) > realImagePsnr(clean, fixed), 'σ-derived h beats the fixed one');
  assert.equal(nlmStrength(25), (1.5 * 25) / 255);
});
