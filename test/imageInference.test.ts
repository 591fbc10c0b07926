import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { validateConfig } from '../src/core/config/validateConfig';
import type { RealImage } from '../src/core/data/realImage';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { ImageInference } from '../src/core/engine/plan/imageInference';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import type { Denoiser } from '../src/core/models/denoiser';
import { WholeImagePredictor } from '../src/core/models/wholeImagePredictor';
import { SeededRandom } from '../src/core/random/seededRandom';

/*
 * Whole-image inference on the oneDNN plan against TensorFlow.js's model.predict, for every fully convolutional
 * family, at several image sizes in one predictor (so the plan is re-made when the size changes), odd sizes and
 * sides the U-Net's pooling does not divide included.
 */

const onednn = loadOneDnn();
const skip = onednn.onednn ? false : `no oneDNN here (CI installs libdnnl2): ${onednn.problems.join('; ')}`;

function modelConfig(model: Record<string, unknown>): Model {
  const result = validateConfig({ dataset: { source: 'imageFolder', trainFolder: 'x' }, noise: { steps: [] }, model });
  assert.ok(result.ok);
  return result.config.model;
}

function randomImage(height: number, width: number, channels: number, rng: SeededRandom): RealImage {
  const pixels = Float32Array.from({ length: height * width * channels }, () => rng.next());
  return { name: `${height}x${width}`, pixels, height, width, channels };
}

/** A model of the family trained at 16x16, its weights and batch-norm statistics moved as training would. */
function trainedModel(config: Model, channels: number): Denoiser {
  const trained = buildDenoiser(config, { height: 16, width: 16, channels }, 3);
  const rng = new SeededRandom(5);
  trained.model.setWeights(
    trained.model.getWeights().map((w) => {
      const moved = tf.tensor(
        Array.from(w.dataSync(), (v) => v * (0.8 + 0.4 * rng.next()) + 0.05 * (rng.next() - 0.5)),
        w.shape,
      );
      // Variances stay positive.
      return w.shape.length === 1 ? tf.abs(moved) : moved;
    }),
  );
  return trained;
}

function worstRelative(expected: Float32Array, actual: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  expected.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - actual[i]) / Math.max(1, Math.abs(v)))));
  return worst;
}

const families = [
  ['conv autoencoder', { type: 'conv', filters: [4, 6] }, 1],
  ['DnCNN with batch norm', { type: 'dncnn', depth: 5, filters: 6, batchNorm: true }, 1],
  ['DnCNN without batch norm', { type: 'dncnn', depth: 4, filters: 5, batchNorm: false }, 3],
  ['U-Net', { type: 'unet', filters: 4, levels: 2 }, 3],
] as const;

for (const [label, model, channels] of families) {
  test(
    `${label}: the oneDNN plan predicts what TensorFlow.js predicts, at odd sizes, re-planned per size`,
    { skip },
    async () => {
      await initEngine('cpu');
      const config = modelConfig(model);
      const trained = trainedModel(config, channels);
      const rng = new SeededRandom(11);
      // Larger, smaller, odd (the U-Net and autoencoder pad 13x9 and 21x30 to their pooling's multiple), and back.
      const images = [
        randomImage(24, 20, channels, rng),
        randomImage(13, 9, channels, rng),
        randomImage(21, 30, channels, rng),
        randomImage(24, 20, channels, rng),
      ];
      const planned = new WholeImagePredictor(trained, config);
      assert.match(planned.describe(), /oneDNN .* plan/);
      const previous = process.env.DENOISE_ONEDNN_LIB;
      process.env.DENOISE_ONEDNN_LIB = 'none';
      const reference = new WholeImagePredictor(trained, config);
      try {
        assert.match(reference.describe(), /TensorFlow\.js model\.predict \(.*DENOISE_ONEDNN_LIB=none/);
      } finally {
        if (previous === undefined) delete process.env.DENOISE_ONEDNN_LIB;
        else process.env.DENOISE_ONEDNN_LIB = previous;
      }
      for (const image of images) {
        const expected = reference.predict(image);
        const actual = planned.predict(image);
        assert.equal(actual.length, image.height * image.width * channels);
        const worst = worstRelative(expected, actual);
        assert.ok(worst < 1e-5, `${image.name}: the plan differs from predict by ${worst}`);
      }
      // The plan takes the trained weights at each call: a change after the first prediction is seen.
      trained.model.setWeights(trained.model.getWeights().map((w) => tf.mul(w, 0.9)));
      const image = images[1];
      const worst = worstRelative(reference.predict(image), planned.predict(image));
      assert.ok(worst < 1e-5, `after new weights the plan differs from predict by ${worst}`);
      planned.dispose();
      reference.dispose();
      trained.model.dispose();
      tf.disposeVariables();
    },
  );
}

test('a new image size re-plans over the same activation memory; only a larger size grows it', { skip }, () => {
  const config = modelConfig({ type: 'dncnn', depth: 6, filters: 8, batchNorm: true });
  const trained = trainedModel(config, 1);
  const inference = ImageInference.create(
    trained.model,
    (height, width) => buildDenoiser(config, { height, width, channels: 1 }, 0).model,
    2,
  );
  assert.ok(typeof inference !== 'string', String(inference));
  const rng = new SeededRandom(2);
  const run = (h: number, w: number) => inference.run(randomImage(h, w, 1, rng).pixels, h, w).length;
  assert.equal(run(40, 30), 40 * 30);
  const held = inference.activationBytes();
  // Input, output and the shared activations of 8 channels: far less than one buffer per layer.
  assert.ok(held <= 4 * 40 * 30 * (1 + 1 + 8 * 3), `${held} bytes for a 40x30 image`);
  for (const [h, w] of [
    [17, 31],
    [9, 9],
    [33, 35],
    [40, 30],
  ])
    assert.equal(run(h, w), h * w);
  assert.equal(inference.activationBytes(), held, 'smaller images reused the 40x30 memory');
  run(50, 41);
  assert.ok(inference.activationBytes() > held, 'a larger image grows it');
  inference.dispose();
  trained.model.dispose();
});
