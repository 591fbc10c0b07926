import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSet } from '../src/core/data/imageSet';
import { SeededRandom } from '../src/core/random/seededRandom';
import { applyNoise } from '../src/core/noise/applyNoise';
import { imageMetrics } from '../src/core/metrics/imageMetrics';
import { PSNR_CAP_DB } from '../src/core/metrics/psnr';

function imagesOf(height: number, width: number, ...images: ((x: number, y: number) => number)[]): ImageSet {
  const pixels = new Float32Array(images.length * height * width);
  images.forEach((pixel, n) => {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[(n * height + y) * width + x] = pixel(x, y);
  });
  return { pixels, count: images.length, height, width };
}

function randomImages(count: number, height: number, width: number, seed: number): ImageSet {
  const rng = new SeededRandom(seed);
  return { pixels: Float32Array.from({ length: count * height * width }, () => rng.next()), count, height, width };
}

function assertClose(actual: number, expected: number, tolerance: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);
}

test('MSE 0.01 is exactly 20 dB, and PSNR is averaged per image, not taken from the mean MSE', () => {
  const clean = imagesOf(
    10,
    10,
    () => 0.5,
    () => 0.5,
  );
  // 4 of 100 pixels off by 0.5: MSE 0.01. One pixel off by 0.125: MSE 0.00015625.
  const off = imagesOf(
    10,
    10,
    (x, y) => (y === 0 && x < 4 ? 1 : 0.5),
    (x, y) => (x + y === 0 ? 0.625 : 0.5),
  );
  const both = imageMetrics(clean, off);
  assert.equal(both.mse, (0.01 + 0.00015625) / 2);
  assert.equal(both.psnr, (20 + 10 * Math.log10(1 / 0.00015625)) / 2);
  assert.equal(both.count, 2);
  const first = imageMetrics(
    { ...clean, pixels: clean.pixels.subarray(0, 100), count: 1 },
    { ...off, pixels: off.pixels.subarray(0, 100), count: 1 },
  );
  assert.equal(first.psnr, 20);
});

test('identical images: MSE 0, SSIM 1 and PSNR at its documented cap', () => {
  const images = randomImages(3, 28, 28, 1);
  const same = imageMetrics(images, { ...images, pixels: images.pixels.slice() });
  assert.equal(same.mse, 0);
  assert.equal(PSNR_CAP_DB, 100);
  assert.equal(same.psnr, PSNR_CAP_DB);
  assertClose(same.ssim, 1, 1e-12, 'SSIM');
});

test('SSIM of two constant images comes from their means alone', () => {
  const a = Math.fround(0.2);
  const b = Math.fround(0.6);
  const metrics = imageMetrics(
    imagesOf(28, 28, () => a),
    imagesOf(28, 28, () => b),
  );
  // Variances and covariance are 0, so SSIM = (2ab + C1)(0 + C2) / ((a² + b² + C1)(0 + C2)).
  const c1 = 0.01 ** 2;
  assertClose(metrics.ssim, (2 * a * b + c1) / (a * a + b * b + c1), 1e-9, 'SSIM');
  assertClose(metrics.ssim, 0.6001, 1e-4, 'SSIM');
});

/** The textbook definition: an 11x11 (or smaller) Gaussian window summed directly at every valid position. */
function directSsim(ref: Float32Array, cand: Float32Array, height: number, width: number, size: number): number {
  const r = (size - 1) / 2;
  const weights: number[][] = [];
  let total = 0;
  for (let i = 0; i < size; i++) {
    weights.push([]);
    for (let j = 0; j < size; j++) {
      weights[i].push(Math.exp(-((i - r) ** 2 + (j - r) ** 2) / (2 * 1.5 ** 2)));
      total += weights[i][j];
    }
  }
  let sum = 0;
  for (let oy = 0; oy + size <= height; oy++) {
    for (let ox = 0; ox + size <= width; ox++) {
      let mx = 0,
        my = 0,
        sxx = 0,
        syy = 0,
        sxy = 0;
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          const w = weights[i][j] / total;
          const x = ref[(oy + i) * width + ox + j];
          const y = cand[(oy + i) * width + ox + j];
          mx += w * x;
          my += w * y;
          sxx += w * x * x;
          syy += w * y * y;
          sxy += w * x * y;
        }
      }
      const [c1, c2] = [0.01 ** 2, 0.03 ** 2];
      const vx = sxx - mx * mx;
      const vy = syy - my * my;
      const cov = sxy - mx * my;
      sum += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
  }
  return sum / ((height - size + 1) * (width - size + 1));
}

test('SSIM matches a direct 2-D window computation, also on non-square and small images', () => {
  // 9x13 is below the 11x11 window: it shrinks to 9x9 rather than failing.
  for (const [height, width, size] of [
    [28, 28, 11],
    [20, 32, 11],
    [9, 13, 9],
    [8, 8, 7],
  ]) {
    const ref = randomImages(2, height, width, 3);
    const cand = randomImages(2, height, width, 4);
    const pixels = height * width;
    const expected =
      (directSsim(ref.pixels.subarray(0, pixels), cand.pixels.subarray(0, pixels), height, width, size) +
        directSsim(ref.pixels.subarray(pixels), cand.pixels.subarray(pixels), height, width, size)) /
      2;
    assertClose(imageMetrics(ref, cand).ssim, expected, 1e-12, `${height}x${width}`);
  }
});

test('SSIM matches scikit-image structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)', () => {
  // Values printed by scikit-image 0.19.3 for float64 copies of these images' float32 pixels.
  const ref = (x: number, y: number) => ((x * 7 + y * 13) % 17) / 16;
  const cand = (x: number, y: number) => ((x * 5 + y * 3 + x * y) % 9) / 8;
  assertClose(imageMetrics(imagesOf(28, 28, ref), imagesOf(28, 28, cand)).ssim, 0.0742309987002361, 1e-12, '28x28');
  assertClose(
    imageMetrics(imagesOf(20, 32, ref), imagesOf(20, 32, cand)).ssim,
    0.06964588267704841,
    1e-12,
    '20 rows x 32 columns',
  );
  const smooth = (x: number, y: number) => ((x * y) % 29) / 28;
  const nearby = (x: number, y: number) => Math.min(1, Math.max(0, smooth(x, y) + (((x * 31 + y * 17) % 7) - 3) / 32));
  const metrics = imageMetrics(imagesOf(28, 28, smooth), imagesOf(28, 28, nearby));
  assertClose(metrics.ssim, 0.9786820373270038, 1e-12, 'similar pair');
  assertClose(metrics.psnr, 24.419308254189612, 1e-9, 'PSNR (skimage peak_signal_noise_ratio)');
});

test('stronger Gaussian noise gives lower SSIM and PSNR', () => {
  // A smooth blob on black, like a digit stroke.
  const clean = imagesOf(28, 28, (x, y) => Math.max(0, 1 - ((x - 14) ** 2 + (y - 12) ** 2) / 60));
  const noisy = (variance: number) =>
    imageMetrics(
      clean,
      applyNoise(
        clean,
        { steps: [{ type: 'gaussian', mean: 0, variance }], seed: 5, mode: 'fixed', clip: true, quantize: false },
        'test',
      ),
    );
  const results = [0.001, 0.01, 0.05, 0.2].map(noisy);
  for (let i = 1; i < results.length; i++) {
    assert.ok(results[i].ssim < results[i - 1].ssim, `SSIM ${results.map((r) => r.ssim.toFixed(3)).join(' > ')}`);
    assert.ok(results[i].psnr < results[i - 1].psnr, `PSNR ${results.map((r) => r.psnr.toFixed(1)).join(' > ')}`);
  }
  assert.ok(results[0].ssim > 0.9 && results[3].ssim < 0.5);
});

test('a model that diverged shows NaN, not a perfect score; mismatched sets are refused', () => {
  const clean = randomImages(2, 28, 28, 1);
  const nan = { ...clean, pixels: new Float32Array(clean.pixels.length).fill(NaN) };
  const metrics = imageMetrics(clean, nan);
  assert.ok(Number.isNaN(metrics.mse) && Number.isNaN(metrics.psnr) && Number.isNaN(metrics.ssim));
  assert.throws(
    () => imageMetrics(clean, randomImages(3, 28, 28, 2)),
    /cannot compare 3 images of 28x28 with 2 reference images of 28x28/,
  );
  assert.throws(() => imageMetrics(clean, randomImages(2, 14, 56, 2)), /56x14/);
});
