import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasBlas, planSkip, startBlasEngineBeforeTests } from './helpers/planPrerequisites';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { SeededRandom } from '../src/core/random/seededRandom';
import type { Model, Training } from '../src/core/config/experimentConfig.generated';
import { assertSameEpochLosses, trainOnce, worstDifference } from './helpers/tapeAgainstDirect';
import { trainingConfig } from './helpers/trainingConfig';

/*
 * Whole models on the oneDNN training plan against the same runs through TensorFlow.js's tape: epoch losses
 * and final weights (moving statistics included) to 1e-4, with a short last batch (150 images in batches of 64).
 */

startBlasEngineBeforeTests();

const image = { height: 12, width: 8 };
const count = 150;
const rng = new SeededRandom(11);
const clean = { pixels: Float32Array.from({ length: count * 96 }, () => rng.next()), count, ...image };
const noisy = {
  pixels: clean.pixels.map((v) => Math.min(1, Math.max(0, v + 0.4 * (rng.next() - 0.5)))),
  count,
  ...image,
};
const training = (more: Partial<Training>): Training =>
  trainingConfig({
    optimizer: 'adam',
    learningRate: 0.003,
    epochs: 2,
    batchSize: 64,
    seed: 4,
    ...more,
  });

async function assertSameRun(model: Model, run: Training, freeze: (name: string) => boolean = () => false) {
  const train = (direct: boolean) => {
    const denoiser = buildDenoiser(model, image, 3);
    denoiser.model.layers.filter((l) => freeze(l.name)).forEach((l) => (l.trainable = false));
    return trainOnce(denoiser, run, direct, noisy, clean);
  };
  const tape = await train(false);
  const direct = await train(true);
  assert.match(
    direct.result.steps,
    new RegExp(`^${model.type} ${run.optimizer} steps run directly on a oneDNN .* plan`),
    'the result says the plan ran',
  );
  assert.equal(tape.result.steps, "TensorFlow.js's tape and optimizer");
  assertSameEpochLosses(tape, direct);
  const worst = worstDifference(tape.weights, direct.weights);
  assert.ok(worst < 1e-4, `final weights differ by ${worst}`);
  assert.deepEqual(
    direct.tensorCounts,
    [direct.tensorCounts[0], direct.tensorCounts[0]],
    'no tensors pile up from epoch to epoch',
  );
}

test(
  'the convolutional autoencoder (stride-2 and transposed convolutions) trains on the plan with BCE and Adam',
  { skip: planSkip },
  async () => {
    await assertSameRun(
      { type: 'conv', filters: [4, 6], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' },
      training({ loss: 'bce' }),
    );
  },
);

test(
  'the U-Net (pooling, skips joined) trains on the plan with MAE and momentum, its first level frozen',
  { skip: planSkip },
  async () => {
    await assertSameRun(
      { type: 'unet', filters: 4, levels: 2 },
      training({ optimizer: 'momentum', loss: 'mae', learningRate: 0.05 }),
      (name) => name.startsWith('encoder_conv0'),
    );
  },
);

test(
  'DnCNN with batch normalization trains on the plan with SGD; its moving statistics match the tape',
  { skip: planSkip },
  async () => {
    await assertSameRun(
      { type: 'dncnn', depth: 4, filters: 6, batchNorm: true },
      training({ optimizer: 'sgd', learningRate: 0.1 }),
    );
  },
);

test(
  'without oneDNN (DENOISE_ONEDNN_LIB=none) the same model trains on the tape',
  { skip: hasBlas ? false : 'no system BLAS here' },
  async () => {
    const before = process.env.DENOISE_ONEDNN_LIB;
    process.env.DENOISE_ONEDNN_LIB = 'none';
    try {
      const denoiser = buildDenoiser({ type: 'unet', filters: 4, levels: 2 }, image, 3);
      const { result } = await trainOnce(denoiser, training({ epochs: 1 }), true, noisy, clean);
      assert.equal(result.steps, "TensorFlow.js's tape and optimizer");
      assert.ok(Number.isFinite(result.epochs[0].trainLoss));
    } finally {
      if (before === undefined) delete process.env.DENOISE_ONEDNN_LIB;
      else process.env.DENOISE_ONEDNN_LIB = before;
    }
  },
);
