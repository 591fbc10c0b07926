import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser, denseLayerSizes } from '../src/core/models/buildDenoiser';
import { loadDenoiser, saveDenoiser } from '../src/core/models/modelStorage';

const image = { height: 16, width: 16 };
const kinds: Model[] = [
  { type: 'dense', depth: 5, codeSize: 32, activation: 'relu', outputActivation: 'sigmoid' },
  { type: 'conv', filters: [8, 16], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' },
  { type: 'dncnn', depth: 4, filters: 8, batchNorm: true },
  { type: 'unet', filters: 4, levels: 2 },
  { type: 'vae', hiddenSizes: [64, 32], latentSize: 4, klWeight: 1, activation: 'relu' },
];
const batch = () => tf.randomUniform([8, 256], 0, 1, 'float32', 5) as tf.Tensor2D;

before(async () => {
  // The engine a user gets: every engine now has the convolution gradient kernels.
  await initEngine('auto');
});

test('dense layer sizes follow the seed report: 5 layers with code 500 is 784-642-500-642-784', () => {
  assert.deepEqual(denseLayerSizes(784, 5, 500), [642, 500]);
  assert.deepEqual(denseLayerSizes(784, 7, 100), [556, 328, 100]);
  assert.deepEqual(denseLayerSizes(784, 9, 100), [613, 442, 271, 100]);
  const best = buildDenoiser(
    { type: 'dense', depth: 5, codeSize: 500, activation: 'relu', outputActivation: 'sigmoid' },
    { height: 28, width: 28 },
    1,
  );
  assert.match(best.describe(), /^dense 784-642-500-642-784 relu\/sigmoid/);
  best.model.dispose();
  assert.throws(() => denseLayerSizes(784, 6, 100), /model.depth must be odd/);
});

for (const config of kinds) {
  test(`${config.type}: output has the input's shape in [0,1], and a few steps lower the loss`, () => {
    const d = buildDenoiser(config, image, 1);
    const x = batch();
    const before = tf.tidy(() => tf.losses.meanSquaredError(x, d.predict(x)).dataSync()[0]);
    const out = d.predict(x);
    assert.deepEqual(out.shape, [8, 256]);
    const [lo, hi] = [tf.min(out).dataSync()[0], tf.max(out).dataSync()[0]];
    assert.ok(lo >= 0 && hi <= 1, `${lo}..${hi}`);
    out.dispose();
    const optimizer = tf.train.adam(0.01);
    for (let i = 0; i < 8; i++) {
      optimizer.minimize(() => {
        const { output, extraLoss } = d.trainForward(x);
        const loss = tf.losses.meanSquaredError(x, output) as tf.Scalar;
        return extraLoss ? (tf.add(loss, extraLoss) as tf.Scalar) : loss;
      });
    }
    const after = tf.tidy(() => tf.losses.meanSquaredError(x, d.predict(x)).dataSync()[0]);
    assert.ok(after < before, `loss ${before} -> ${after}`);
    optimizer.dispose();
    x.dispose();
    d.model.dispose();
  });

  test(`${config.type}: save and load give identical outputs; the same seed gives the same weights`, async () => {
    const d = buildDenoiser(config, image, 3);
    const dir = mkdtempSync(join(tmpdir(), 'denoise-model-'));
    await saveDenoiser(d, dir);
    const loaded = await loadDenoiser(dir, config, image);
    const x = batch();
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(d.predict(x), loaded.predict(x)))).dataSync()[0]);
    assert.equal(diff, 0);
    assert.equal(loaded.describe(), d.describe());
    const twin = buildDenoiser(config, image, 3);
    const other = buildDenoiser(config, image, 4);
    const weights = (m: typeof d) => m.model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(weights(twin), weights(d));
    assert.notDeepEqual(weights(other), weights(d));
    for (const m of [d, loaded, twin, other]) m.model.dispose();
    x.dispose();
  });
}

test('freezing the encoder keeps its weights while the decoder learns (transfer learning)', () => {
  const d = buildDenoiser(kinds[0], image, 1);
  const encoder = d.encoderLayers();
  const decoder = d.decoderLayers();
  assert.ok(encoder.length > 0 && decoder.length > 0);
  assert.equal(encoder.filter((l) => decoder.includes(l)).length, 0);
  for (const layer of encoder) layer.trainable = false;
  const snapshot = (layers: tf.layers.Layer[]) =>
    layers.flatMap((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
  const [encBefore, decBefore] = [snapshot(encoder), snapshot(decoder)];
  const x = batch();
  const variables = d.model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.train
    .sgd(0.5)
    .minimize(() => tf.losses.meanSquaredError(x, d.trainForward(x).output) as tf.Scalar, false, variables);
  assert.deepEqual(snapshot(encoder), encBefore);
  assert.notDeepEqual(snapshot(decoder), decBefore);
  d.model.dispose();
});

test('a VAE samples new images and interpolates between two', () => {
  const d = buildDenoiser(kinds[4], image, 1);
  const samples = d.sampleImages!(6, 9);
  assert.deepEqual(samples.shape, [6, 256]);
  const x = batch();
  const line = d.interpolate!(x.slice([0, 0], [1, 256]), x.slice([1, 0], [1, 256]), 5);
  assert.deepEqual(line.shape, [5, 256]);
  tf.dispose([samples, x, line]);
  d.model.dispose();
});

test('sizes a model cannot take are refused with the field to change', () => {
  assert.throws(
    () => buildDenoiser({ type: 'unet', filters: 4, levels: 3 }, { height: 28, width: 28 }, 1),
    /model.levels 3 needs image sides divisible by 8; 28x28/,
  );
  assert.throws(
    () =>
      buildDenoiser(
        { type: 'conv', filters: [4, 4, 4], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' },
        { height: 28, width: 28 },
        1,
      ),
    /divisible by 8/,
  );
});

test('loading a model into the wrong kind or size says so', async () => {
  const d = buildDenoiser(kinds[0], image, 1);
  const dir = mkdtempSync(join(tmpdir(), 'denoise-model-'));
  await saveDenoiser(d, dir);
  await assert.rejects(loadDenoiser(dir, kinds[1], image), /is a dense model, but the config asks for conv/);
  await assert.rejects(loadDenoiser(dir, kinds[0], { height: 28, width: 28 }), /takes 16x16 images/);
  await assert.rejects(loadDenoiser(join(dir, 'nothing'), kinds[0], image), /no saved model/);
  d.model.dispose();
});
