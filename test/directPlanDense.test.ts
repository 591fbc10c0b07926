import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hasBlas, planSkip, startBlasEngineBeforeTests } from './helpers/planPrerequisites';
import { inferencePlan } from '../src/core/engine/plan/inferencePlan';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { loadDenoiser, saveDenoiser } from '../src/core/models/modelStorage';
import { trainDenoiser } from '../src/core/training/trainer';
import { SeededRandom } from '../src/core/random/seededRandom';
import type { Model, Training } from '../src/core/config/experimentConfig.generated';
import { assertSameEpochLosses, trainOnce, worstDifference } from './helpers/tapeAgainstDirect';
import { trainingConfig } from './helpers/trainingConfig';

/*
 * Dense models on the oneDNN training plan against the same runs through TensorFlow.js's tape (epoch losses and
 * final weights to 1e-4, 150 images in batches of 64 so the last is short), the same models without oneDNN, and
 * models trained on the plan saved, loaded and predicting what they predicted before.
 */

startBlasEngineBeforeTests();

const image = { height: 12, width: 8 };
const pixels = image.height * image.width;
const count = 150;
const rng = new SeededRandom(11);
const clean = { pixels: Float32Array.from({ length: count * pixels }, () => rng.next()), count, ...image };
const noisy = {
  pixels: clean.pixels.map((v) => Math.min(1, Math.max(0, v + 0.4 * (rng.next() - 0.5)))),
  count,
  ...image,
};
const training = (more: Partial<Training>): Training =>
  trainingConfig({ optimizer: 'adam', learningRate: 0.003, epochs: 2, batchSize: 64, seed: 4, ...more });
const vae: Model = { type: 'vae', hiddenSizes: [20, 10], latentSize: 4, klWeight: 1, activation: 'relu' };

async function assertSameRun(model: Model, run: Training) {
  const built = [buildDenoiser(model, image, 3), buildDenoiser(model, image, 3)];
  const tape = await trainOnce(built[0], run, false, noisy, clean);
  const direct = await trainOnce(built[1], run, true, noisy, clean);
  assert.match(
    direct.result.steps,
    new RegExp(`^${model.type} ${run.optimizer} steps run directly on a oneDNN .* plan`),
  );
  assert.equal(tape.result.steps, "TensorFlow.js's tape and optimizer");
  assertSameEpochLosses(tape, direct);
  const worst = worstDifference(tape.weights, direct.weights);
  assert.ok(worst < 1e-4, `final weights differ by ${worst}`);
  assert.deepEqual(direct.tensorCounts, [direct.tensorCounts[0], direct.tensorCounts[0]], 'no tensors pile up');
  return built;
}

test(
  'the VAE trains on the plan with BCE, its KL term and Adam, drawing the noise the tape draws',
  { skip: planSkip },
  async () => {
    const [tape, direct] = await assertSameRun(vae, training({ loss: 'bce' }));
    // Both runs drew the same count of noise batches from streams of the same seed: the same noise.
    assert.deepEqual(direct.trainingNoise!.state(), tape.trainingNoise!.state());
    assert.ok(
      JSON.stringify(tape.trainingNoise!.state()) !==
        JSON.stringify(buildDenoiser(vae, image, 3).trainingNoise!.state()),
    );
  },
);

test(
  'a VAE with ELU, a KL weight of 3 and a frozen encoder layer trains on the plan with momentum',
  { skip: planSkip },
  async () => {
    const model: Model = { ...vae, activation: 'elu', klWeight: 3 };
    const run = training({ loss: 'mse', optimizer: 'momentum', learningRate: 0.05 });
    const train = (direct: boolean) => {
      const denoiser = buildDenoiser(model, image, 3);
      denoiser.model.getLayer('encoder_dense_0').trainable = false;
      return trainOnce(denoiser, run, direct, noisy, clean);
    };
    const tape = await train(false);
    const direct = await train(true);
    assert.match(direct.result.steps, /^vae momentum steps run directly on a oneDNN .* plan/);
    const worst = worstDifference(tape.weights, direct.weights);
    assert.ok(worst < 1e-4, `final weights differ by ${worst}`);
  },
);

test(
  'the dense autoencoder with BCE (not the hand-written MSE step) trains on the plan',
  { skip: planSkip },
  async () => {
    await assertSameRun(
      { type: 'dense', depth: 5, codeSize: 9, activation: 'tanh', outputActivation: 'sigmoid' },
      training({ loss: 'bce', optimizer: 'sgd', learningRate: 0.5 }),
    );
  },
);

test(
  'without oneDNN (DENOISE_ONEDNN_LIB=none) the VAE still trains, on the tape over the BLAS',
  { skip: hasBlas ? false : 'no system BLAS here' },
  async () => {
    const before = process.env.DENOISE_ONEDNN_LIB;
    process.env.DENOISE_ONEDNN_LIB = 'none';
    try {
      const { result } = await trainOnce(buildDenoiser(vae, image, 3), training({ loss: 'bce' }), true, noisy, clean);
      assert.equal(result.steps, "TensorFlow.js's tape and optimizer");
      assert.ok(result.epochs[1].trainLoss < result.epochs[0].trainLoss, 'the loss falls');
    } finally {
      if (before === undefined) delete process.env.DENOISE_ONEDNN_LIB;
      else process.env.DENOISE_ONEDNN_LIB = before;
    }
  },
);

/** The largest difference between two prediction arrays. */
const largestDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

for (const model of [{ type: 'dncnn', depth: 4, filters: 6, batchNorm: true } as Model, vae]) {
  test(
    `a ${model.type === 'vae' ? 'VAE' : 'DnCNN with batch normalization'} trained on the plan, saved and loaded, predicts the same`,
    { skip: planSkip },
    async () => {
      const denoiser = buildDenoiser(model, image, 3);
      const result = await trainDenoiser({
        denoiser,
        training: training({ loss: model.type === 'vae' ? 'bce' : 'mse' }),
        directSteps: true,
        trainPairs: () => ({ inputs: noisy, targets: clean }),
        valPairs: { inputs: noisy, targets: clean },
      });
      assert.match(result.steps, /on a oneDNN .* plan/);
      const x = tf.tensor2d(noisy.pixels.subarray(0, 7 * pixels), [7, pixels]);
      const before = denoiser.predict(x).dataSync() as Float32Array;
      const dir = mkdtempSync(join(tmpdir(), 'plan-saved-'));
      try {
        await saveDenoiser(denoiser, dir);
        const loaded = await loadDenoiser(dir, model, image);
        const after = loaded.predict(x).dataSync() as Float32Array;
        assert.ok(
          largestDifference(before, after) <= 1e-5,
          `predictions differ by ${largestDifference(before, after)}`,
        );
        if (model.type === 'dncnn') {
          // Inference mode: the moving statistics the plan trained, not the batch's, on TensorFlow.js and oneDNN.
          const moving = loaded.model.layers
            .filter((l) => l.getClassName() === 'BatchNormalization')
            .flatMap((l) =>
              l
                .getWeights()
                .slice(2)
                .map((w) => w.dataSync()),
            );
          assert.ok(
            moving.every((m) => m.some((v) => v !== 0 && v !== 1)),
            'the moving statistics were trained',
          );
          const plan = inferencePlan(loaded.model, 8, 2);
          assert.ok(typeof plan !== 'string', String(plan));
          const planned = plan.run(noisy.pixels.subarray(0, 7 * pixels), 7).slice();
          plan.dispose();
          const unclipped = (loaded.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
          assert.ok(
            largestDifference(unclipped, planned) <= 1e-5,
            `the inference plan differs by ${largestDifference(unclipped, planned)}`,
          );
        }
        loaded.model.dispose();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        denoiser.model.dispose();
        x.dispose();
      }
    },
  );
}
