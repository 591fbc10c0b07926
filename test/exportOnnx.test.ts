/**
 * ONNX export: every model family, saved as a run saves it, exported and run in ONNX Runtime on random
 * images, gives the model's own predictions to 1e-5, at two image sizes.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { saveDenoiser } from '../src/core/models/modelStorage';
import type { Denoiser } from '../src/core/models/denoiser';
import { exportRunModel } from '../src/core/export/exportRunModel';
import type { OnnxPart } from '../src/core/export/exportOnnx';
import { convertLayersModel } from '../src/core/export/convertLayersModel';
import { readSavedLayersModel } from '../src/core/export/savedLayersModel';

const TOLERANCE = 1e-5;

before(async () => {
  await tf.setBackend('cpu');
});

/** Moves every weight off its initial value (biases start at zero, batch-norm statistics at 0 and 1). */
function perturbWeights(model: tf.LayersModel, seed: number): void {
  const weights = model.weights.map((w, i) => {
    const value = w.read();
    const noise = tf.randomUniform(value.shape, -0.2, 0.2, 'float32', seed + i);
    if (w.name.includes('moving_variance')) return tf.randomUniform(value.shape, 0.5, 1.5, 'float32', seed + i);
    return tf.add(value, noise);
  });
  model.setWeights(weights);
}

function randomImages(n: number, height: number, width: number, seed: number): Float32Array {
  return tf.randomUniform([n, height * width], 0, 1, 'float32', seed).dataSync() as Float32Array;
}

/** A run folder holding only the saved model, as `denoise run` leaves it. */
async function savedRun(denoiser: Denoiser): Promise<string> {
  const runDir = mkdtempSync(join(tmpdir(), `denoise-onnx-${denoiser.kind}-`));
  await saveDenoiser(denoiser, join(runDir, 'model'));
  return runDir;
}

async function exportPart(denoiser: Denoiser, part: OnnxPart = 'denoiser') {
  const runDir = await savedRun(denoiser);
  const out = join(runDir, `${part}.onnx`);
  const result = exportRunModel(runDir, out, part, 'test');
  return { ...result, session: await ort.InferenceSession.create(readFileSync(out)) };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'same number of values');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

async function runImages(
  session: ort.InferenceSession,
  pixels: Float32Array,
  n: number,
  height: number,
  width: number,
) {
  const results = await session.run({ image: new ort.Tensor('float32', pixels, [n, 1, height, width]) });
  return results;
}

function predict(denoiser: Denoiser, pixels: Float32Array, n: number): Float32Array {
  return tf.tidy(
    () => denoiser.predict(tf.tensor2d(pixels, [n, denoiser.height * denoiser.width])).dataSync() as Float32Array,
  );
}

const convolutional: Model[] = [
  { type: 'conv', filters: [4, 8], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' },
  { type: 'conv', filters: [4], kernelSize: 5, activation: 'leakyRelu', outputActivation: 'linear' },
  { type: 'dncnn', depth: 5, filters: 6, batchNorm: false },
  { type: 'dncnn', depth: 5, filters: 6, batchNorm: true },
  { type: 'unet', filters: 3, levels: 2 },
];

for (const config of convolutional) {
  const label = `${config.type} ${JSON.stringify(config).slice(0, 80)}`;
  test(`${label}: the ONNX file takes any image size and predicts as the model does`, async (t) => {
    const first = { height: 8, width: 12 };
    const denoiser = buildDenoiser(config, first, 3);
    perturbWeights(denoiser.model, 100);
    const { session, signature } = await exportPart(denoiser);
    assert.deepEqual(session.inputNames, ['image']);
    assert.deepEqual(session.outputNames, ['denoised']);
    assert.equal(signature, 'image [batch, 1, height, width] -> denoised [batch, 1, height, width]');
    const meta = session.inputMetadata[0] as { shape: readonly (number | string)[] };
    assert.deepEqual(meta.shape, ['batch', 1, 'height', 'width']);

    // The same weights at another size (and shape: tall instead of wide) in a model built for it.
    const second = { height: 16, width: 4 };
    const other = buildDenoiser(config, second, 3);
    other.model.setWeights(denoiser.model.getWeights());
    for (const [model, size, n] of [
      [denoiser, first, 3],
      [other, second, 2],
    ] as const) {
      const pixels = randomImages(n, size.height, size.width, 7 + n);
      const { denoised } = await runImages(session, pixels, n, size.height, size.width);
      assert.deepEqual(denoised.dims, [n, 1, size.height, size.width]);
      const difference = maxDifference(denoised.data as Float32Array, predict(model, pixels, n));
      assert.ok(difference <= TOLERANCE, `${size.height}x${size.width}: max difference ${difference}`);
      t.diagnostic(`${size.height}x${size.width}: max difference ${difference.toExponential(2)}`);
    }
    denoiser.model.dispose();
    other.model.dispose();
  });
}

test('dense: the ONNX file takes [batch, 1, H, W] images of the trained size and predicts as the model does', async (t) => {
  const cases = [
    [{ height: 6, width: 5 }, 'relu', 8],
    [{ height: 4, width: 7 }, 'swish', 8],
    // The seed report's best model: 784-642-500-642-784.
    [{ height: 28, width: 28 }, 'relu', 500],
  ] as const;
  for (const [size, activation, codeSize] of cases) {
    const config: Model = { type: 'dense', depth: 5, codeSize, activation, outputActivation: 'sigmoid' };
    const denoiser = buildDenoiser(config, size, 2);
    perturbWeights(denoiser.model, 200);
    const { session, signature } = await exportPart(denoiser);
    assert.equal(
      signature,
      `image [batch, 1, ${size.height}, ${size.width}] -> denoised [batch, 1, ${size.height}, ${size.width}]`,
    );
    assert.deepEqual((session.inputMetadata[0] as { shape: readonly unknown[] }).shape, [
      'batch',
      1,
      size.height,
      size.width,
    ]);
    const pixels = randomImages(4, size.height, size.width, 11);
    const { denoised } = await runImages(session, pixels, 4, size.height, size.width);
    assert.deepEqual(denoised.dims, [4, 1, size.height, size.width]);
    const difference = maxDifference(denoised.data as Float32Array, predict(denoiser, pixels, 4));
    assert.ok(difference <= TOLERANCE, `${activation}: max difference ${difference}`);
    t.diagnostic(`${size.height}x${size.width} ${activation}: max difference ${difference.toExponential(2)}`);
    denoiser.model.dispose();
  }
});

test('vae: the denoiser, the encoder and the decoder export separately and match the model', async (t) => {
  for (const size of [
    { height: 6, width: 6 },
    { height: 5, width: 8 },
  ]) {
    const config: Model = { type: 'vae', hiddenSizes: [12, 8], latentSize: 3, klWeight: 1, activation: 'elu' };
    const vae = buildDenoiser(config, size, 4);
    perturbWeights(vae.model, 300);
    const n = 3;
    const pixels = randomImages(n, size.height, size.width, 13);

    const whole = await exportPart(vae, 'denoiser');
    const { denoised } = await runImages(whole.session, pixels, n, size.height, size.width);
    const differences = { denoiser: maxDifference(denoised.data as Float32Array, predict(vae, pixels, n)) };

    const encoder = await exportPart(vae, 'encoder');
    assert.deepEqual(encoder.session.outputNames, ['mu', 'sigma']);
    const encoded = await runImages(encoder.session, pixels, n, size.height, size.width);
    const [, mu, sigma] = vae.model.predict([
      tf.tensor2d(pixels, [n, size.height * size.width]),
      tf.zeros([n, 3]),
    ]) as tf.Tensor[];
    const encoderDifferences = {
      mu: maxDifference(encoded.mu.data as Float32Array, mu.dataSync()),
      sigma: maxDifference(encoded.sigma.data as Float32Array, sigma.dataSync()),
    };

    const decoder = await exportPart(vae, 'decoder');
    assert.equal(decoder.signature, `latent [batch, latent] -> image [batch, 1, ${size.height}, ${size.width}]`);
    const latent = tf.randomNormal([n, 3], 0, 1, 'float32', 17);
    const { image } = await decoder.session.run({
      latent: new ort.Tensor('float32', latent.dataSync() as Float32Array, [n, 3]),
    });
    let y = latent;
    for (const layer of vae.decoderLayers()) y = layer.apply(y) as tf.Tensor;
    assert.deepEqual(image.dims, [n, 1, size.height, size.width]);
    const all = {
      ...differences,
      ...encoderDifferences,
      decoder: maxDifference(image.data as Float32Array, y.dataSync()),
    };
    for (const [part, difference] of Object.entries(all)) {
      assert.ok(difference <= TOLERANCE, `${part} at ${size.height}x${size.width}: max difference ${difference}`);
    }
    t.diagnostic(`${size.height}x${size.width}: max differences ${JSON.stringify(all)}`);
    vae.model.dispose();
  }
});

test('a dense model has no encoder part to export: the error says --part is for VAE models', async () => {
  const denoiser = buildDenoiser(
    { type: 'dense', depth: 3, codeSize: 4, activation: 'relu', outputActivation: 'sigmoid' },
    { height: 4, width: 4 },
    1,
  );
  const runDir = await savedRun(denoiser);
  assert.throws(
    () => exportRunModel(runDir, join(runDir, 'x.onnx'), 'encoder', 'test'),
    /a dense model has no separate encoder; --part encoder is for VAE models/,
  );
  denoiser.model.dispose();
});

/** The saved artifacts of any layers model, as model.json and weights.bin hold them. */
async function artifactsOf(model: tf.LayersModel) {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const data = saved!.weightData as ArrayBuffer;
  return readSavedLayersModel(
    { modelTopology: saved!.modelTopology, weightSpecs: saved!.weightSpecs },
    new Uint8Array(data),
  );
}

test('batch normalization (inference mode) in a model built with tf.layers: NHWC in TensorFlow.js, NCHW in ONNX', async (t) => {
  const input = tf.input({ shape: [null, null, 3], name: 'rgb' });
  let x = tf.layers
    .conv2d({ filters: 5, kernelSize: 3, padding: 'same', useBias: false, name: 'conv_a' })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn_a', epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'relu_a' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv_b' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .batchNormalization({ name: 'bn_b', center: false, scale: false, epsilon: 1e-2 })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  perturbWeights(model, 400);
  const saved = await artifactsOf(model);
  const { bytes, sizeFree } = convertLayersModel(saved, {
    inputs: [{ layer: 'rgb', name: 'rgb' }],
    outputs: [{ layer: 'bn_b', name: 'features' }],
    docString: 'test',
    producerVersion: 'test',
  });
  assert.equal(sizeFree, true);
  const session = await ort.InferenceSession.create(bytes);
  for (const [h, w] of [
    [5, 7],
    [9, 4],
  ]) {
    const nhwc = tf.randomUniform([2, h, w, 3], 0, 1, 'float32', h * w);
    const expected = tf.transpose(model.predict(nhwc) as tf.Tensor, [0, 3, 1, 2]);
    const nchw = tf.transpose(nhwc, [0, 3, 1, 2]);
    const { features } = await session.run({
      rgb: new ort.Tensor('float32', nchw.dataSync() as Float32Array, [2, 3, h, w]),
    });
    assert.deepEqual(features.dims, [2, 4, h, w]);
    const difference = maxDifference(features.data as Float32Array, expected.dataSync());
    assert.ok(difference <= TOLERANCE, `${h}x${w}: max difference ${difference}`);
    t.diagnostic(`${h}x${w}: max difference ${difference.toExponential(2)}`);
  }
  model.dispose();
});
