import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { validateConfig } from '../src/core/config/validateConfig';
import type { RealImage } from '../src/core/data/realImage';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { sideMultiple, WholeImagePredictor } from '../src/core/models/wholeImagePredictor';
import { receptiveRadius } from '../src/core/apply/receptiveField';
import { planTiles, predictTiled } from '../src/core/apply/tiles';

function modelConfig(model: Record<string, unknown>): Model {
  const result = validateConfig({ dataset: { source: 'imageFolder', trainFolder: 'x' }, noise: { steps: [] }, model });
  assert.ok(result.ok);
  return result.config.model;
}

/** An odd-sized image of seeded random values, so every pixel's neighbourhood differs. */
function randomImage(width: number, height: number, channels: number): RealImage {
  const pixels = new Float32Array(width * height * channels);
  let s = 12345;
  for (let i = 0; i < pixels.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    pixels[i] = s / 2 ** 31;
  }
  return { name: 'random', pixels, width, height, channels };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

for (const [label, model, channels] of [
  ['DnCNN', { type: 'dncnn', depth: 4, filters: 6, batchNorm: true }, 1],
  ['U-Net', { type: 'unet', filters: 4, levels: 2 }, 3],
] as const) {
  test(`${label}: tiles overlapping by the receptive field give the whole-image result on a 37x29 image`, async () => {
    await initEngine('cpu');
    const config = modelConfig(model);
    const trained = buildDenoiser(config, { height: 16, width: 16, channels }, 7);
    const predictor = new WholeImagePredictor(trained, config);
    const multiple = sideMultiple(config);
    const image = randomImage(37, 29, channels);
    const whole = predictor.predict(image);
    const radius = receptiveRadius(trained.model);
    assert.ok(radius >= (label === 'DnCNN' ? 4 : 8), `receptive radius ${radius}`);
    const plan = planTiles({ tile: 8, memoryMb: 1, radius, multiple, bytesPerPixel: 1 });
    let tiles = 0;
    const tiled = predictTiled(predictor, image, plan, multiple, (_done, total) => (tiles = total));
    assert.ok(tiles >= 12, `${tiles} tiles`);
    const diff = maxDifference(tiled, whole);
    assert.ok(diff <= 1e-4, `tiled differs from whole by ${diff}`);
    // Without the overlap the tile borders show: the check above can fail.
    const seams = predictTiled(predictor, image, { tile: plan.tile, margin: 0 }, multiple);
    assert.ok(maxDifference(seams, whole) > 1e-3, 'tiles without overlap differ from the whole image');
    predictor.dispose();
    trained.model.dispose();
    tf.disposeVariables();
  });
}

test('the memory budget sets the tile side: larger budgets give larger tiles, multiples of the pooling', () => {
  const small = planTiles({ memoryMb: 64, radius: 17, multiple: 8, bytesPerPixel: 4 * 64 * 22 });
  const large = planTiles({ memoryMb: 1024, radius: 17, multiple: 8, bytesPerPixel: 4 * 64 * 22 });
  assert.equal(small.margin, 24);
  assert.equal(small.tile % 8, 0);
  assert.ok(large.tile > 3 * small.tile, `${small.tile} then ${large.tile}`);
  const window = large.tile + 2 * large.margin;
  assert.ok(window * window * 4 * 64 * 22 <= 1024 * 2 ** 20, 'the window fits the budget');
});
