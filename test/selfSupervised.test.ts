import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Gaussian255Noise, Noise, Training } from '../src/core/config/experimentConfig.generated';
import { validateConfig } from '../src/core/config/validateConfig';
import type { RealImage } from '../src/core/data/realImage';
import { lossAndGradient } from '../src/core/engine/plan/planLoss';
import { reconstructionLoss } from '../src/core/evaluation/losses';
import { SeededRandom } from '../src/core/random/seededRandom';
import { MASK_RADIUS, maskBlindSpots, maskedPixelCount } from '../src/core/training/blindSpotMask';
import { PatchBatches } from '../src/core/training/patchBatches';

/*
 * Noise2Noise and Noise2Void's training data: the blind-spot mask, the loss on masked pixels only, and
 * Noise2Noise's independent target noise.
 */

const gaussian = (sigma: number): Gaussian255Noise => ({
  type: 'gaussian255',
  sigma,
  blind: false,
  sigmaMin: 0,
  sigmaMax: 55,
});
const noiseOf = (steps: Noise['steps']): Noise => ({ steps, seed: 9, mode: 'fixed', clip: false, quantize: false });

/** A picture whose every value is distinct, so a replaced value tells where it came from. */
function distinctImage(name: string, width: number, height: number, channels: number): RealImage {
  const n = width * height * channels;
  return { name, width, height, channels, pixels: Float32Array.from({ length: n }, (_, i) => (i + 1) / (n + 1)) };
}

function patchTraining(target: Training['target'], maskFraction = 0.05) {
  return {
    patchSize: 16,
    patchesPerEpoch: 40,
    augment: false,
    batchSize: 20,
    seed: 3,
    input: 'noisy',
    target,
    maskFraction,
  } as const;
}

test('the blind-spot mask replaces the asked share of pixels, each by a neighbour within 2 pixels, never itself', () => {
  for (const channels of [1, 3]) {
    const { pixels: original, height, width } = distinctImage('a.png', 30, 20, channels);
    const input = new Float32Array(original.length);
    const weights = new Float32Array(original.length);
    maskBlindSpots(original, input, weights, { height, width, channels }, 0.05, new SeededRandom(7));
    const expected = maskedPixelCount(width * height, 0.05);
    assert.equal(expected, 30, 'round(600 x 0.05) pixels');
    let masked = 0;
    for (let p = 0; p < width * height; p++) {
      const w = weights.subarray(p * channels, (p + 1) * channels);
      const got = input.subarray(p * channels, (p + 1) * channels);
      const own = original.subarray(p * channels, (p + 1) * channels);
      if (w[0] === 0) {
        assert.deepEqual([...w], new Array(channels).fill(0), 'a pixel is masked in all its channels or none');
        assert.deepEqual([...got], [...own], 'unmasked pixels are left as they were');
        continue;
      }
      masked++;
      assert.deepEqual([...w], new Array(channels).fill(1));
      // Distinct values: the replacement's first channel tells which pixel it was copied from.
      const source = Math.round(got[0] * (original.length + 1)) - 1;
      assert.equal(source % channels, 0, 'copied from the first channel of a pixel');
      const q = source / channels;
      assert.notEqual(q, p, 'never the pixel itself');
      const [y, x, qy, qx] = [Math.floor(p / width), p % width, Math.floor(q / width), q % width];
      assert.ok(Math.abs(qy - y) <= MASK_RADIUS && Math.abs(qx - x) <= MASK_RADIUS, `(${qx},${qy}) near (${x},${y})`);
      assert.deepEqual([...got], [...original.subarray(q * channels, (q + 1) * channels)], 'all channels of one pixel');
    }
    assert.equal(masked, expected, `${channels} channel(s): the masked pixels are distinct`);
  }
});

test('Noise2Void batches: the input differs from the noisy target only at the masked pixels, weighted 1', () => {
  const images = [distinctImage('a.png', 40, 30, 1), distinctImage('b.png', 33, 37, 1)];
  const batches = new PatchBatches(images, patchTraining('noise2void', 0.05), noiseOf([gaussian(25)]));
  const batch = batches.epoch(1).batch(1);
  assert.ok(batch.weights, 'a noise2void batch carries loss weights');
  const perPatch = 16 * 16;
  for (let k = 0; k < batch.count; k++) {
    let masked = 0;
    for (let i = k * perPatch; i < (k + 1) * perPatch; i++) {
      if (batch.weights[i] === 1) masked++;
      else assert.equal(batch.inputs[i], batch.targets[i], 'unmasked values are the noisy target itself');
    }
    assert.equal(masked, maskedPixelCount(perPatch, 0.05), `patch ${k}: ${masked} masked pixels`);
  }
  // The target is noisy, not clean: its values are far from any clean picture's (all in (0, 1), σ 25/255 added).
  const outside = batch.targets.filter((v) => v < 0 || v > 1).length;
  assert.ok(outside > 0, 'the targets carry the unclipped noise');
});

test('Noise2Noise batches: input and target are the same patch with two independent draws of the noise', () => {
  const flat = (name: string): RealImage => ({
    name,
    width: 48,
    height: 48,
    channels: 1,
    pixels: new Float32Array(48 * 48).fill(0.5),
  });
  const batches = new PatchBatches(
    [flat('a.png'), flat('b.png')],
    patchTraining('noise2noise'),
    noiseOf([gaussian(25)]),
  );
  const { inputs, targets, count, weights } = batches.epoch(2).batch(0);
  assert.equal(weights, undefined, 'every value counts');
  const n = count * 256;
  let [sx, sy, sxy, sxx, syy] = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = inputs[i] - 0.5;
    const y = targets[i] - 0.5;
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  const correlation = (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
  assert.ok(Math.abs(correlation) < 0.05, `the two noises are uncorrelated (r = ${correlation.toFixed(4)})`);
  for (const [label, s] of [
    ['input', sxx],
    ['target', syy],
  ] as const) {
    const sigma = Math.sqrt(s / n) * 255;
    assert.ok(Math.abs(sigma - 25) < 1, `the ${label} has σ ${sigma.toFixed(2)}, not a clean patch`);
  }
});

test('the masked loss counts only the weighted values, on the tape and in the oneDNN plan alike', () => {
  const p = Float32Array.from([0.2, 0.9, 0.4, 0.7, 0.1, 0.5]);
  const y = Float32Array.from([0.3, 0.1, 0.4, 0.2, 0.6, 0.5]);
  const w = Float32Array.from([1, 0, 0, 1, 0, 1]);
  const maskedMse = ((0.2 - 0.3) ** 2 + (0.7 - 0.2) ** 2 + 0) / 3;
  const g = new Float32Array(6);
  assert.ok(Math.abs(lossAndGradient('mse', p, y, g, 6, w) - maskedMse) < 1e-7, 'plan: mean over the masked values');
  assert.ok(
    [1, 2, 4].every((i) => g[i] === 0),
    'no gradient reaches an unmasked value',
  );
  assert.ok(Math.abs(g[0] - (2 * (0.2 - 0.3)) / 3) < 1e-7);
  const tape = tf.tidy(() => reconstructionLoss('mse', tf.tensor1d(y), tf.tensor1d(p), tf.tensor1d(w)).dataSync()[0]);
  assert.ok(Math.abs(tape - maskedMse) < 1e-6, `tape ${tape} vs ${maskedMse}`);
  // Changing the target where the weight is 0 changes nothing.
  const other = y.slice();
  other[1] = 0.95;
  other[4] = 0;
  const again = tf.tidy(
    () => reconstructionLoss('mse', tf.tensor1d(other), tf.tensor1d(p), tf.tensor1d(w)).dataSync()[0],
  );
  assert.equal(again, tape);
  for (const kind of ['mae', 'bce'] as const) {
    const plan = lossAndGradient(kind, p, y, new Float32Array(6), 6, w);
    const onTape = tf.tidy(
      () => reconstructionLoss(kind, tf.tensor1d(y), tf.tensor1d(p), tf.tensor1d(w)).dataSync()[0],
    );
    assert.ok(Math.abs(plan - onTape) < 1e-5, `${kind}: plan ${plan} vs tape ${onTape}`);
  }
});

test('the self-supervised targets need patch training, noisy inputs, and Noise2Noise needs synthetic noise', () => {
  const base = {
    name: 'n',
    dataset: { source: 'imageFolder', trainFolder: 'x' },
    noise: { steps: [{ type: 'gaussian255', sigma: 25 }] },
    model: { type: 'dncnn' },
  };
  const problems = (over: Record<string, unknown>) => {
    const result = validateConfig({ ...base, ...over });
    return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  };
  assert.deepEqual(problems({ training: { target: 'noise2void' } }), []);
  assert.deepEqual(problems({ training: { target: 'noise2void' }, noise: { steps: [] } }), []);
  assert.deepEqual(problems({ training: { target: 'noise2noise' } }), []);
  assert.match(
    problems({ training: { target: 'noise2noise' }, noise: { steps: [] } }).join(),
    /^noise\.steps: is empty/,
  );
  assert.match(
    problems({ training: { target: 'noise2void' }, dataset: { source: 'mnist' }, model: { type: 'dense' } }).join(),
    /training\.target: 'noise2void' trains on patches/,
  );
  assert.match(
    problems({ training: { target: 'noise2void', input: 'clean' } }).join(),
    /training\.input: must be 'noisy'/,
  );
  assert.match(problems({ training: { target: 'noise2void', maskFraction: 0 } }).join(), /training\.maskFraction/);
});
