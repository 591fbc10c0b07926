import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { validateConfig } from '../src/core/config/validateConfig';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImageSamples, readImageHeader, type ImageSamples } from '../src/core/data/decodeImageFile';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { sideMultiple, WholeImagePredictor } from '../src/core/models/wholeImagePredictor';
import { receptiveRadius } from '../src/core/apply/receptiveField';
import { planTiles, predictTiled, type TilePlan } from '../src/core/apply/tiles';
import { SampleTiles } from '../src/core/apply/sampleTiles';

function modelConfig(model: Record<string, unknown>): Model {
  const result = validateConfig({ dataset: { source: 'imageFolder', trainFolder: 'x' }, noise: { steps: [] }, model });
  assert.ok(result.ok);
  return result.config.model;
}

/**
 * An odd-sized 16-bit image of seeded random values, so every pixel's neighbourhood differs (16 bits, so that
 * a result's rounding to samples stays far below the differences the tests look for).
 */
function randomImage(width: number, height: number, channels: 1 | 3): ImageSamples {
  const samples = new Uint16Array(width * height * channels);
  let s = 12345;
  for (let i = 0; i < samples.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    samples[i] = Math.floor((s / 2 ** 31) * 65536);
  }
  return { name: 'random', samples, width, height, channels };
}

const floats = (image: ImageSamples) => Float32Array.from(image.samples, (v) => v / 65535);

/** The image denoised tile by tile in place, as `denoise apply` does it, back as floats. */
function tiled(predictor: WholeImagePredictor, image: ImageSamples, plan: TilePlan, multiple: number) {
  let tiles = 0;
  const copy = { ...image, samples: image.samples.slice() };
  predictTiled(predictor, new SampleTiles(copy), plan, multiple, (_done, total) => (tiles = total));
  return { pixels: floats(copy), tiles };
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
    const whole = predictor.predict({ ...image, pixels: floats(image) });
    const radius = receptiveRadius(trained.model);
    assert.ok(radius >= (label === 'DnCNN' ? 4 : 8), `receptive radius ${radius}`);
    const plan = planTiles({ tile: 8, memoryMb: 1, radius, multiple, bytesPerPixel: 1 });
    const inTiles = tiled(predictor, image, plan, multiple);
    assert.ok(inTiles.tiles >= 12, `${inTiles.tiles} tiles`);
    const diff = maxDifference(inTiles.pixels, whole);
    assert.ok(diff <= 1e-4, `tiled differs from whole by ${diff}`);
    // One tile for the whole image takes the same path.
    const one = tiled(predictor, image, { tile: 64, margin: plan.margin }, multiple);
    assert.equal(one.tiles, 1);
    assert.ok(maxDifference(one.pixels, whole) <= 1e-4);
    // Without the overlap the tile borders show: the check above can fail.
    const seams = tiled(predictor, image, { tile: plan.tile, margin: 0 }, multiple);
    assert.ok(maxDifference(seams.pixels, whole) > 1e-3, 'tiles without overlap differ from the whole image');
    predictor.dispose();
    trained.model.dispose();
    tf.disposeVariables();
  });
}

test('an 8-bit file decoded as apply decodes it, denoised tile by tile in place: the whole-image result to a level', async () => {
  await initEngine('cpu');
  const config = modelConfig({ type: 'dncnn', depth: 4, filters: 6, batchNorm: false });
  const trained = buildDenoiser(config, { height: 16, width: 16, channels: 1 }, 3);
  const predictor = new WholeImagePredictor(trained, config);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-tiles-'));
  const file = path.join(dir, 'in.png');
  const { samples } = randomImage(45, 33, 1);
  const bytes = Uint8Array.from(samples, (v) => v >> 8);
  await sharp(bytes, { raw: { width: 45, height: 33, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file);
  const image = await decodeImageSamples(await readImageHeader(file), 1, 'in.png');
  const whole = predictor.predict({ ...image, pixels: Float32Array.from(image.samples, (v) => v / 255) });
  // Bands of 8 rows: each band's windows read 4 rows of the band above, already overwritten by its result.
  predictTiled(predictor, new SampleTiles(image), { tile: 8, margin: receptiveRadius(trained.model) }, 1);
  const worst =
    maxDifference(
      Float32Array.from(image.samples, (v) => v / 255),
      whole,
    ) * 255;
  assert.ok(worst <= 0.5 + 1e-3, `tiled differs from whole by ${worst} levels`);
  fs.rmSync(dir, { recursive: true, force: true });
  predictor.dispose();
  trained.model.dispose();
});

test('the memory budget sets the tile side: larger budgets give larger tiles, multiples of the pooling', () => {
  const small = planTiles({ memoryMb: 64, radius: 17, multiple: 8, bytesPerPixel: 4 * 64 * 22 });
  const large = planTiles({ memoryMb: 1024, radius: 17, multiple: 8, bytesPerPixel: 4 * 64 * 22 });
  assert.equal(small.margin, 24);
  assert.equal(small.tile % 8, 0);
  assert.ok(large.tile > 3 * small.tile, `${small.tile} then ${large.tile}`);
  const window = large.tile + 2 * large.margin;
  assert.ok(window * window * 4 * 64 * 22 <= 1024 * 2 ** 20, 'the window fits the budget');
});
