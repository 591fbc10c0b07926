import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyBaseline } from '../src/core/baselines/baselines';
import { gaussianBlur } from '../src/core/baselines/gaussianBlur';
import { medianFilter3x3 } from '../src/core/baselines/medianFilter';
import { nonLocalMeans } from '../src/core/baselines/nonLocalMeans';
import { notchFilter } from '../src/core/baselines/notchFilter';
import { firstImages, type ImageSet } from '../src/core/data/imageSet';
import { loadMnist } from '../src/core/data/mnist';
import { imageMetrics } from '../src/core/metrics/imageMetrics';
import { addGaussianNoise } from '../src/core/noise/gaussianNoise';
import { SeededRandom } from '../src/core/random/seededRandom';

const image = (pixels: Float32Array, side = 28): ImageSet => ({ pixels, count: 1, height: side, width: side });

test('median 3x3 removes isolated salt-and-pepper pixels from a flat image', () => {
  const pixels = new Float32Array(28 * 28).fill(0.4);
  pixels[5 * 28 + 5] = 1;
  pixels[20 * 28 + 13] = 0;
  pixels[0] = 1; // a corner pixel, where the window is replicated
  const out = medianFilter3x3(image(pixels));
  assert.ok(
    out.every((v) => Math.abs(v - 0.4) < 1e-6),
    'every pixel back to 0.4',
  );
});

test('median 3x3 keeps a 3-pixel-wide stroke', () => {
  const pixels = new Float32Array(28 * 28);
  for (let y = 0; y < 28; y++) for (let x = 10; x < 13; x++) pixels[y * 28 + x] = 1;
  assert.deepEqual(Array.from(medianFilter3x3(image(pixels))), Array.from(pixels));
});

test('Gaussian blur keeps a constant image constant and spreads a single bright pixel', () => {
  const flat = gaussianBlur(image(new Float32Array(28 * 28).fill(0.7)), 1);
  assert.ok(flat.every((v) => Math.abs(v - 0.7) < 1e-6));
  const dot = new Float32Array(28 * 28);
  dot[14 * 28 + 14] = 1;
  const blurred = gaussianBlur(image(dot), 1);
  assert.ok(blurred[14 * 28 + 14] < 0.2 && blurred[14 * 28 + 15] > 0.05);
  assert.ok(Math.abs(blurred.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'the energy is kept');
});

test('FFT notch filter removes a cos(1.5πx) stripe pattern from a constant image', () => {
  const clean = new Float32Array(28 * 28).fill(0.5);
  const striped = new Float32Array(28 * 28);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) striped[y * 28 + x] = 0.5 + 0.3 * Math.cos(1.5 * Math.PI * x);
  const before = imageMetrics(image(clean), image(striped)).psnr;
  const after = imageMetrics(image(clean), applyBaseline('notch', image(striped))).psnr;
  assert.ok(before < 15, `striped image ${before} dB`);
  assert.ok(after > 60, `after the notch ${after} dB`);
});

test('FFT notch filter leaves a clean digit nearly untouched', async () => {
  const digit = firstImages((await loadMnist()).test, 1);
  const psnr = imageMetrics(digit, applyBaseline('notch', digit)).psnr;
  assert.ok(psnr > 25, `clean digit after notch: ${psnr} dB`);
  assert.equal(notchFilter(digit).length, 784);
});

test('non-local means lowers the MSE of a Gaussian-noisy digit', async () => {
  const digits = firstImages((await loadMnist()).test, 4);
  const noisy = Float32Array.from(digits.pixels);
  addGaussianNoise(noisy, { type: 'gaussian', mean: 0, variance: 0.01 }, new SeededRandom(7));
  const noisySet = { ...digits, pixels: noisy };
  const before = imageMetrics(digits, noisySet).mse;
  const after = imageMetrics(digits, { ...digits, pixels: nonLocalMeans(noisySet) }).mse;
  assert.ok(after < 0.6 * before, `MSE ${before} -> ${after}`);
});

test('an unknown baseline name is refused with the valid list', () => {
  assert.throws(() => applyBaseline('wiener' as never, image(new Float32Array(784))), /median, gaussian, notch, nlm/);
});

test("FFT notch filter lifts the PSNR of digits under the seed's cos(1.5πx) wave", async () => {
  const digits = firstImages((await loadMnist()).test, 20);
  const waved = Float32Array.from(digits.pixels);
  for (let i = 0; i < waved.length; i++)
    waved[i] = Math.min(1, Math.max(0, waved[i] + 0.2 * Math.cos(1.5 * Math.PI * (i % 28))));
  const noisy = { ...digits, pixels: waved };
  const before = imageMetrics(digits, noisy).psnr;
  const after = imageMetrics(digits, applyBaseline('notch', noisy)).psnr;
  assert.ok(after > before + 3, `${before.toFixed(2)} dB -> ${after.toFixed(2)} dB`);
});
